import { badRequest, SfApiError } from './fake-errors';
import { FieldDef, ObjectDef } from './fake-schema';
import { FakeStore, Fields } from './fake-store';
import { CompiledFilter, ResolvedPath, SoqlEngine } from './soql-engine';
import { Condition, FieldPath, OrderItem, SoqlParser, tokenize } from './soql-parser';

/**
 * SOSL: `FIND {term} [IN ALL|NAME|EMAIL|PHONE FIELDS] [RETURNING Obj[(fields [WHERE …] [ORDER BY …] [LIMIT n])], …]
 * [LIMIT n]` (reference §2.9). The term's reserved characters arrive backslash-escaped. The parts after the term
 * reuse the SOQL tokenizer and parser. Salesforce answers SOSL syntax errors with MALFORMED_SEARCH.
 */

export type SearchScope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';

export interface ReturningSpec {
  object: string;
  pos: number;
  fields?: FieldPath[];
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

export interface SoslSearch {
  term: string;
  scope: SearchScope;
  returning: ReturningSpec[];
  limit?: number;
}

const RESERVED = new Set('?&|!{}[]()^~*:\\"\'+-'.split(''));
const SCOPES = new Set(['ALL', 'NAME', 'EMAIL', 'PHONE', 'SIDEBAR']);
/** Phone matching needs at least this many digits on both sides (wire contract). */
const MIN_PHONE_DIGITS = 7;
/** "At most 2,000 rows per SOSL result." */
const MAX_ROWS = 2000;

function malformedSearch(message: string): SfApiError {
  return badRequest('MALFORMED_SEARCH', message);
}

function readTerm(text: string): { term: string; rest: string } {
  const opening = /^\s*FIND\s*\{/i.exec(text);
  if (!opening) throw malformedSearch('No search term found. The search term must be enclosed in braces.');
  let term = '';
  for (let i = opening[0].length; i < text.length; i++) {
    const c = text[i];
    if (c === '}') return { term, rest: text.slice(i + 1) };
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined || !RESERVED.has(next))
        throw malformedSearch(`Invalid escape sequence in search term: \\${next ?? ''}`);
      term += next;
      i++;
      continue;
    }
    term += c;
  }
  throw malformedSearch('Missing closing brace in search term');
}

export function parseSosl(text: string): SoslSearch {
  const { term, rest } = readTerm(text);
  if (term.trim().length < 2) throw malformedSearch('search term must be longer than one character');
  try {
    const parser = new SoqlParser(tokenize(rest));
    let scope: SearchScope = 'ALL';
    if (parser.acceptKeyword('IN')) {
      const token = parser.next();
      const word = token.kind === 'ident' ? token.text.toUpperCase() : '';
      if (!SCOPES.has(word)) throw parser.unexpected(token);
      scope = word === 'SIDEBAR' ? 'ALL' : (word as SearchScope);
      parser.expectKeyword('FIELDS');
    }
    const returning: ReturningSpec[] = [];
    if (parser.acceptKeyword('RETURNING')) {
      do {
        if (returning.length > 0) parser.next();
        const name = parser.name();
        const spec: ReturningSpec = { object: name.text, pos: name.pos, orderBy: [] };
        if (parser.isPunct('(')) {
          parser.next();
          spec.fields = parser.fieldList();
          parser.clauses(spec);
          parser.expectPunct(')');
        }
        returning.push(spec);
      } while (parser.isPunct(','));
    }
    const search: SoslSearch = { term: term.trim(), scope, returning };
    if (parser.acceptKeyword('LIMIT')) search.limit = parser.integer();
    parser.expectEnd();
    return search;
  } catch (error) {
    if (error instanceof SfApiError && error.items[0]?.errorCode === 'MALFORMED_QUERY') {
      throw malformedSearch(error.items[0].message);
    }
    throw error;
  }
}

const digitsOf = (value: string) => value.replace(/\D/g, '');

function wordPattern(word: string): RegExp {
  const source = word
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i');
}

const TEXT_TYPES = new Set(['string', 'textarea', 'phone', 'email', 'picklist', 'combobox']);

export class SoslEngine {
  constructor(
    private readonly store: FakeStore,
    private readonly soql: SoqlEngine,
  ) {}

  search(text: string, apiVersion: string): { searchRecords: Record<string, unknown>[] } {
    const search = parseSosl(text);
    const specs: ReturningSpec[] =
      search.returning.length > 0
        ? search.returning
        : [...this.store.schema.objects.values()]
            .filter((d) => d.searchable)
            .map((d) => ({ object: d.name, pos: 0, orderBy: [] }));
    const matcher = this.termMatcher(search);
    const rows: Record<string, unknown>[] = [];
    for (const spec of specs) {
      const def = this.soql.objectFor(spec.object, spec.pos);
      if (!def.searchable)
        throw badRequest('INVALID_TYPE', `entity type ${def.name} does not support search`);
      const paths: ResolvedPath[] = this.soql.selectPaths(
        def,
        spec.fields ?? [{ parts: ['Id'], pos: spec.pos }],
      );
      const filter: CompiledFilter = this.soql.compile(def, spec);
      // The index lags writes: match on what has been indexed, answer with the current values. A phone search
      // only looks at records whose phone ends in the same digits (a superset, filtered below).
      const pool =
        search.scope === 'PHONE'
          ? this.store.withPhoneTail(def.name, digitsOf(search.term))
          : this.store.all(def.name);
      const hits = pool.filter((record) => {
        const indexed = this.store.searchableFields(record);
        return indexed !== undefined && matcher(def, indexed);
      });
      for (const record of this.soql.select(def, filter, hits))
        rows.push(this.soql.shape(record, paths, apiVersion));
    }
    return { searchRecords: rows.slice(0, Math.min(search.limit ?? MAX_ROWS, MAX_ROWS)) };
  }

  private termMatcher(search: SoslSearch): (def: ObjectDef, fields: Readonly<Fields>) => boolean {
    const words = search.term
      .replace(/"/g, ' ')
      .split(/\s+/)
      .filter((w) => w !== '');
    const anyWord = words.some((w) => w.toUpperCase() === 'OR');
    const patterns = words.filter((w) => !['AND', 'OR', 'NOT'].includes(w.toUpperCase())).map(wordPattern);
    const termDigits = digitsOf(search.term);

    const phoneMatches = (value: string) => {
      const digits = digitsOf(value);
      if (Math.min(digits.length, termDigits.length) < MIN_PHONE_DIGITS) return false;
      return digits.endsWith(termDigits) || termDigits.endsWith(digits);
    };
    const wordMatches = (values: string[]) => {
      // Rich text is indexed as its words: tags out, split at anything that is not a letter or a digit.
      const tokens = values
        .flatMap((v) => [v, ...v.split(/[\s,;()]+/), ...v.replace(/<[^>]*>/g, ' ').split(/[^\p{L}\p{N}]+/u)])
        .filter((t) => t !== '');
      const test = (pattern: RegExp) => tokens.some((token) => pattern.test(token));
      return patterns.length > 0 && (anyWord ? patterns.some(test) : patterns.every(test));
    };
    const valuesOf = (fields: Readonly<Fields>, defs: FieldDef[]) =>
      defs.map((f) => fields[f.name]).filter((v): v is string => typeof v === 'string');

    return (def, fields) => {
      const phones = valuesOf(
        fields,
        def.fields.filter((f) => f.type === 'phone'),
      );
      switch (search.scope) {
        case 'PHONE':
          return phones.some(phoneMatches);
        case 'EMAIL':
          return wordMatches(
            valuesOf(
              fields,
              def.fields.filter((f) => f.type === 'email'),
            ),
          );
        case 'NAME':
          return wordMatches(
            valuesOf(
              fields,
              def.fields.filter((f) => f.nameField),
            ),
          );
        case 'ALL':
          return (
            phones.some(phoneMatches) ||
            wordMatches(
              valuesOf(
                fields,
                def.fields.filter((f) => TEXT_TYPES.has(f.type)),
              ),
            )
          );
      }
    };
  }
}
