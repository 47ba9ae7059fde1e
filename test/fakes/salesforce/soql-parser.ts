import { queryError, SfApiError } from './fake-errors';

/**
 * A tokenizer and recursive-descent parser for the SOQL subset of the wire contract:
 * `SELECT f, Rel.f FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n] [OFFSET n]`.
 * Anything outside it is MALFORMED_QUERY. String escapes follow `sforce_api_calls_soql_select_quotedstringescapes.htm`
 * (reference §2.8); `\%` and `\_` are literal only inside LIKE patterns.
 */

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; value: string; likeSource: string; likeParts?: string[]; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'datetime'; value: number; pos: number }
  | { kind: 'op'; text: CompareOp; pos: number }
  | { kind: 'punct'; text: ',' | '(' | ')' | '.' | ':'; pos: number }
  | { kind: 'eof'; pos: number };

export interface FieldPath {
  parts: string[];
  pos: number;
}

export type DateFunction = 'TODAY' | 'YESTERDAY' | 'TOMORROW' | 'LAST_N_DAYS' | 'NEXT_N_DAYS';

export type Literal =
  /** `likeParts`: the literal text between `%` wildcards, when the pattern has no `_` (matched without a regex). */
  | { kind: 'string'; value: string; likeSource: string; likeParts?: string[] }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'dateFunction'; name: DateFunction; n: number };

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldPath; op: CompareOp; value: Literal; pos: number }
  | { kind: 'like'; field: FieldPath; value: Extract<Literal, { kind: 'string' }>; pos: number }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[]; pos: number };

export interface OrderItem {
  field: FieldPath;
  descending: boolean;
  nullsFirst: boolean;
}

export interface SoqlQuery {
  fields: FieldPath[];
  from: { name: string; pos: number };
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

const KEYWORDS = new Set(
  [
    'SELECT',
    'FROM',
    'WHERE',
    'AND',
    'OR',
    'NOT',
    'IN',
    'LIKE',
    'ORDER',
    'BY',
    'LIMIT',
    'OFFSET',
    'ASC',
    'DESC',
    'NULLS',
    'FIRST',
    'LAST',
    'GROUP',
    'HAVING',
    'WITH',
    'FOR',
    'USING',
    'TYPEOF',
    'INCLUDES',
    'EXCLUDES',
    'FIND',
    'RETURNING',
    'TRUE',
    'FALSE',
    'NULL',
  ].map((word) => word.toLowerCase()),
);

const SIMPLE_ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  '\\': '\\',
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
};

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function malformed(message: string, pos?: number): SfApiError {
  return queryError('MALFORMED_QUERY', message, pos);
}

function escapeRegex(character: string): string {
  return character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function readString(text: string, start: number): { token: Token; end: number } {
  let value = '';
  let likeSource = '';
  const parts = [''];
  let singleWildcard = false;
  const literal = (character: string) => {
    likeSource += escapeRegex(character);
    parts[parts.length - 1] += character;
  };
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const likeParts = singleWildcard ? undefined : parts;
      return { token: { kind: 'string', value, likeSource, likeParts, pos: start }, end: i + 1 };
    }
    if (c === '\\') {
      const next = text[i + 1];
      if (next !== undefined && next in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[next];
        literal(SIMPLE_ESCAPES[next]);
        i += 2;
      } else if (next === '%' || next === '_') {
        value += next;
        literal(next);
        i += 2;
      } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        const character = String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        value += character;
        literal(character);
        i += 6;
      } else {
        // "If you use a backslash character in any other context, an error occurs."
        throw malformed(`Invalid string literal: illegal escape sequence '\\${next ?? ''}'`, i);
      }
      continue;
    }
    value += c;
    if (c === '%') {
      likeSource += '.*';
      parts.push('');
    } else if (c === '_') {
      likeSource += '.';
      singleWildcard = true;
    } else {
      literal(c);
    }
    i++;
  }
  throw malformed('unterminated string literal', start);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    if (c === "'") {
      const { token, end } = readString(text, i);
      tokens.push(token);
      i = end;
      continue;
    }
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      const ms = Date.parse(datetime[0].replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(ms)) throw malformed(`invalid datetime literal ${datetime[0]}`, i);
      tokens.push({ kind: 'datetime', value: ms, pos: i });
      i += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      const ms = Date.parse(`${date[0]}T00:00:00Z`);
      if (Number.isNaN(ms) || !new Date(ms).toISOString().startsWith(date[0])) {
        throw malformed(`invalid date literal ${date[0]}`, i);
      }
      tokens.push({ kind: 'date', value: date[0], pos: i });
      i += date[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number && (c !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', value: Number(number[0]), pos: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, pos: i });
      i++;
      continue;
    }
    if (c === ',' || c === '(' || c === ')' || c === '.' || c === ':') {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw malformed(`unexpected character '${c}'`, i);
  }
  tokens.push({ kind: 'eof', pos: text.length });
  return tokens;
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'ident':
    case 'op':
    case 'punct':
      return `'${token.text}'`;
    case 'string':
      return 'string literal';
    case 'number':
      return `'${token.value}'`;
    case 'date':
      return `'${token.value}'`;
    case 'datetime':
      return 'datetime literal';
    case 'eof':
      return '<EOF>';
  }
}

const DATE_FUNCTIONS: Record<string, { name: DateFunction; takesN: boolean }> = {
  today: { name: 'TODAY', takesN: false },
  yesterday: { name: 'YESTERDAY', takesN: false },
  tomorrow: { name: 'TOMORROW', takesN: false },
  last_n_days: { name: 'LAST_N_DAYS', takesN: true },
  next_n_days: { name: 'NEXT_N_DAYS', takesN: true },
};

/** Token-stream parser. SOSL reuses it for the `RETURNING Obj(fields WHERE … ORDER BY … LIMIT n)` parts. */
export class SoqlParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  static parseQuery(text: string): SoqlQuery {
    const parser = new SoqlParser(tokenize(text));
    const query = parser.query();
    parser.expectEnd();
    return query;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position++;
    return token;
  }

  unexpected(token: Token = this.peek()): SfApiError {
    return malformed(`unexpected token: ${describeToken(token)}`, token.pos);
  }

  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'ident' && token.text.toLowerCase() === word.toLowerCase();
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.position++;
    return true;
  }

  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected();
  }

  isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.unexpected();
    this.position++;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  query(): SoqlQuery {
    this.expectKeyword('SELECT');
    const fields = this.fieldList();
    this.expectKeyword('FROM');
    const from = this.name();
    const query: SoqlQuery = { fields, from: { name: from.text, pos: from.pos }, orderBy: [] };
    this.clauses(query);
    return query;
  }

  /** WHERE, ORDER BY, LIMIT and OFFSET, each optional, in that order. */
  clauses(target: { where?: Condition; orderBy: OrderItem[]; limit?: number; offset?: number }): void {
    if (this.acceptKeyword('WHERE')) target.where = this.condition();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      target.orderBy = this.orderBy();
    }
    if (this.acceptKeyword('LIMIT')) target.limit = this.integer();
    if (this.acceptKeyword('OFFSET')) target.offset = this.integer();
  }

  /** A plain identifier that is not a reserved word. */
  name(): { text: string; pos: number } {
    const token = this.peek();
    if (token.kind !== 'ident' || KEYWORDS.has(token.text.toLowerCase())) throw this.unexpected(token);
    this.position++;
    return { text: token.text, pos: token.pos };
  }

  fieldList(): FieldPath[] {
    const fields = [this.fieldPath()];
    while (this.isPunct(',')) {
      this.position++;
      fields.push(this.fieldPath());
    }
    return fields;
  }

  fieldPath(): FieldPath {
    const first = this.name();
    const parts = [first.text];
    while (this.isPunct('.')) {
      this.position++;
      parts.push(this.name().text);
    }
    // Functions (COUNT(), toLabel(), …) are outside the supported subset.
    if (this.isPunct('(')) throw this.unexpected();
    return { parts, pos: first.pos };
  }

  integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0)
      throw this.unexpected(token);
    return token.value;
  }

  /** SOQL requires parentheses to mix AND and OR: `a AND b OR c` is rejected. */
  condition(): Condition {
    const first = this.conditionTerm();
    const joiner = this.isKeyword('AND') ? 'and' : this.isKeyword('OR') ? 'or' : undefined;
    if (!joiner) return first;
    const operands = [first];
    while (this.acceptKeyword(joiner)) operands.push(this.conditionTerm());
    if (this.isKeyword(joiner === 'and' ? 'OR' : 'AND')) throw this.unexpected();
    return { kind: joiner, operands };
  }

  private conditionTerm(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.conditionTerm() };
    if (this.isPunct('(')) {
      this.position++;
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    const field = this.fieldPath();
    const token = this.peek();
    if (token.kind === 'op') {
      this.position++;
      return { kind: 'compare', field, op: token.text, value: this.literal(), pos: token.pos };
    }
    if (this.acceptKeyword('LIKE')) {
      const value = this.literal();
      if (value.kind !== 'string') throw malformed('LIKE needs a string literal', token.pos);
      return { kind: 'like', field, value, pos: token.pos };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.expectPunct('(');
      const values = [this.literal()];
      while (this.isPunct(',')) {
        this.position++;
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { kind: 'in', field, negated, values, pos: token.pos };
    }
    throw this.unexpected();
  }

  literal(): Literal {
    const token = this.next();
    switch (token.kind) {
      case 'string':
        return {
          kind: 'string',
          value: token.value,
          likeSource: token.likeSource,
          likeParts: token.likeParts,
        };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'date':
        return { kind: 'date', value: token.value };
      case 'datetime':
        return { kind: 'datetime', value: token.value };
      case 'ident': {
        const word = token.text.toLowerCase();
        if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
        if (word === 'null') return { kind: 'null' };
        const fn = DATE_FUNCTIONS[word];
        if (!fn) throw this.unexpected(token);
        if (!fn.takesN) return { kind: 'dateFunction', name: fn.name, n: 0 };
        this.expectPunct(':');
        return { kind: 'dateFunction', name: fn.name, n: this.integer() };
      }
      case 'op':
      case 'punct':
      case 'eof':
        throw this.unexpected(token);
    }
  }

  orderBy(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.position++;
      const field = this.fieldPath();
      const descending = this.acceptKeyword('DESC') ? true : (this.acceptKeyword('ASC'), false);
      // Salesforce puts nulls first in ascending and last in descending order unless told otherwise.
      let nullsFirst = !descending;
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('FIRST')) nullsFirst = true;
        else if (this.acceptKeyword('LAST')) nullsFirst = false;
        else throw this.unexpected();
      }
      items.push({ field, descending, nullsFirst });
    } while (this.isPunct(','));
    return items;
  }
}
