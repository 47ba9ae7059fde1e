/** Terminal output of the demo: plain text, colour only on a TTY (and never with NO_COLOR). */

const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);

export const style = {
  bold: paint('1'),
  dim: paint('2'),
  red: paint('31'),
  green: paint('32'),
  yellow: paint('33'),
  cyan: paint('36'),
};

const WIDTH = Math.min(process.stdout.columns || 100, 110);

export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Splits `text` into lines that fit the terminal after an indent of `indent` characters. */
function wrap(text: string, indent: number): string[] {
  const room = WIDTH - indent;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

const INDENT = 10;

/** One conversation line: `  Caller: …` / `  Agent:  …`, wrapped under the text. */
export function speak(who: 'Caller' | 'Agent', text: string): void {
  const colour = who === 'Agent' ? style.cyan : (s: string) => s;
  wrap(text, INDENT).forEach((part, index) => {
    const label = index === 0 ? style.bold(`  ${who}:`.padEnd(INDENT)) : ' '.repeat(INDENT);
    line(`${label}${colour(part)}`);
  });
}

/** What happens behind the words: the tool call the model makes, the outbox at work, … */
export function aside(text: string): void {
  wrap(text, INDENT + 2).forEach((part, index) =>
    line(style.dim(`${' '.repeat(index === 0 ? INDENT : INDENT + 2)}${part}`)),
  );
}

export function event(text: string): void {
  line(`  ${style.yellow(`⚡ ${text}`)}`);
}

export function heading(text: string): void {
  line();
  line(style.bold(`━━ ${text} ${'━'.repeat(Math.max(3, WIDTH - text.length - 4))}`));
}

/** `"value"` shortened to `max` characters, on one line. */
export function quote(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}

/** Tool arguments the way a person reads them: `issueType: billing, description: "…"`. */
export function describeArguments(args: Record<string, unknown>): string {
  return Object.entries(args)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? quote(value, 70) : String(value)}`)
    .join(', ');
}
