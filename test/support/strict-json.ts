/**
 * Parses one JSON text and throws on a key repeated within one object, which `JSON.parse` silently accepts
 * (the last one wins) but strict parsers and some log pipelines reject.
 */
export function parseStrictJson(text: string): unknown {
  let at = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`${why} at ${at}`);
  };
  const space = () => {
    while (/\s/.test(text[at] ?? '')) at++;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (text[at] !== '"') {
      if (at >= text.length) fail('unterminated string');
      at += text[at] === '\\' ? 2 : 1;
    }
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): unknown => {
    space();
    const char = text[at];
    if (char === '{') {
      at++;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === '}') {
        at++;
        return object;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        if (Object.hasOwn(object, key)) fail(`duplicate key "${key}"`);
        space();
        if (text[at++] !== ':') fail('expected :');
        object[key] = value();
        space();
        const next = text[at++];
        if (next === '}') return object;
        if (next !== ',') fail('expected , or }');
      }
    }
    if (char === '[') {
      at++;
      const array: unknown[] = [];
      space();
      if (text[at] === ']') {
        at++;
        return array;
      }
      for (;;) {
        array.push(value());
        space();
        const next = text[at++];
        if (next === ']') return array;
        if (next !== ',') fail('expected , or ]');
      }
    }
    if (char === '"') return string();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at));
    if (!literal) return fail('unexpected character');
    at += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  };
  const result = value();
  space();
  if (at !== text.length) fail('trailing characters');
  return result;
}
