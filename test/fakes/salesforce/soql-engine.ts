import { badRequest, queryError } from './fake-errors';
import {
  FieldDef,
  FieldType,
  formatSfDate,
  normalizeSalesforceId,
  ObjectDef,
  parseSfDateTime,
} from './fake-schema';
import { FakeStore, FieldValue, recordUrl, StoredRecord } from './fake-store';
import { CompareOp, Condition, FieldPath, Literal, OrderItem, SoqlParser, SoqlQuery } from './soql-parser';

/**
 * Checks a parsed SOQL query against the schema and evaluates it over the in-memory records. Relationship
 * paths (`Contact.Name`, `Who.Name`, `Parent.CaseNumber`) follow the lookup id fields.
 */

export interface ResolvedPath {
  /** The reference fields walked through, in order. */
  hops: FieldDef[];
  field: FieldDef;
  key: string;
}

type Category = 'string' | 'id' | 'boolean' | 'number' | 'date' | 'datetime' | 'blob';

function categoryOf(type: FieldType): Category {
  switch (type) {
    case 'string':
    case 'textarea':
    case 'phone':
    case 'email':
    case 'picklist':
    case 'combobox':
      return 'string';
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'base64':
      return 'blob';
  }
}

export interface CompiledFilter {
  where?: Condition;
  orderBy: { path: ResolvedPath; item: OrderItem }[];
  limit?: number;
  offset?: number;
}

const DAY_MS = 86_400_000;

export class SoqlEngine {
  /** Parsed paths and LIKE patterns are resolved once per query, not once per record. */
  private readonly resolved = new WeakMap<FieldPath, ResolvedPath>();
  private readonly patterns = new WeakMap<Condition, (text: string) => boolean>();
  private readonly literals = new WeakMap<Literal, string>();

  constructor(
    private readonly store: FakeStore,
    private readonly now: () => number,
  ) {}

  query(
    text: string,
    apiVersion: string,
  ): { totalSize: number; done: true; records: Record<string, unknown>[] } {
    const query = SoqlParser.parseQuery(text);
    const def = this.objectFor(query.from.name, query.from.pos);
    const paths = this.selectPaths(def, query.fields);
    const filter = this.compile(def, query);
    if (def.name === 'ContentDocumentLink') this.requireLinkFilter(query.where);
    const rows = this.select(def, filter, this.indexed(def, query.where) ?? this.store.all(def.name));
    return { totalSize: rows.length, done: true, records: rows.map((r) => this.shape(r, paths, apiVersion)) };
  }

  /**
   * The records an index narrows the query to, when its filter requires `Id = '…'` or `<reference> = '…'` (alone
   * or in a top-level AND): a superset that `select` filters as usual. Undefined: every record is a candidate.
   */
  private indexed(def: ObjectDef, where: Condition | undefined): StoredRecord[] | undefined {
    const conjuncts = where === undefined ? [] : where.kind === 'and' ? where.operands : [where];
    for (const condition of conjuncts) {
      const phones = this.phoneDigitsCandidates(def, condition);
      if (phones) return phones;
    }
    for (const condition of conjuncts) {
      if (condition.kind !== 'compare' || condition.op !== '=' || condition.value.kind !== 'string') continue;
      const path = this.resolve(def, condition.field);
      if (path.hops.length > 0 || categoryOf(path.field.type) !== 'id') continue;
      const id = this.normalizedLiteral(condition.value, 'id');
      if (path.field.type === 'reference') return this.store.withReference(def.name, path.field.name, id);
      const record = this.store.get(def.name, id);
      return record ? [record] : [];
    }
    return undefined;
  }

  /**
   * `phone LIKE '<digits and %>'`, alone or OR-ed with more of the same: the union of the phone-digits index's
   * candidates (fake-store.ts), a superset that `select` filters as usual. Undefined for any other condition.
   */
  private phoneDigitsCandidates(def: ObjectDef, condition: Condition): StoredRecord[] | undefined {
    const operands = condition.kind === 'or' ? condition.operands : [condition];
    const lookups: { field: string; digits: string }[] = [];
    for (const operand of operands) {
      if (operand.kind !== 'like' || !operand.value.likeParts) return undefined;
      const path = this.resolve(def, operand.field);
      const digits = operand.value.likeParts.join('');
      if (path.hops.length > 0 || path.field.type !== 'phone' || !/^\d+$/.test(digits)) return undefined;
      lookups.push({ field: path.field.name, digits });
    }
    const found = new Map<string, StoredRecord>();
    for (const { field, digits } of lookups) {
      for (const record of this.store.withPhoneDigitsInOrder(def.name, field, digits))
        found.set(record.id, record);
    }
    return [...found.values()].sort((a, b) => a.seq - b.seq);
  }

  objectFor(name: string, pos: number): ObjectDef {
    const def = this.store.schema.object(name);
    if (!def) {
      throw queryError(
        'INVALID_TYPE',
        `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
        pos,
      );
    }
    return def;
  }

  selectPaths(def: ObjectDef, fields: FieldPath[]): ResolvedPath[] {
    const seen = new Set<string>();
    return fields.map((path) => {
      const resolved = this.resolve(def, path);
      if (seen.has(resolved.key))
        throw queryError('MALFORMED_QUERY', `duplicate field selected: ${path.parts.join('.')}`, path.pos);
      seen.add(resolved.key);
      return resolved;
    });
  }

  compile(
    def: ObjectDef,
    clauses: Pick<SoqlQuery, 'where' | 'orderBy' | 'limit' | 'offset'>,
  ): CompiledFilter {
    if (clauses.where) this.checkCondition(def, clauses.where);
    const orderBy = clauses.orderBy.map((item) => {
      const path = this.resolve(def, item.field);
      if (!path.field.sortable) {
        throw queryError(
          'INVALID_FIELD',
          `field '${path.field.name}' can not be sorted in a query call`,
          item.field.pos,
        );
      }
      return { path, item };
    });
    // "maximum OFFSET is 2,000 rows" (SOQL reference, OFFSET).
    if (clauses.offset !== undefined && clauses.offset > 2000) {
      throw badRequest('NUMBER_OUTSIDE_VALID_RANGE', 'Maximum SOQL offset allowed is 2000');
    }
    return { where: clauses.where, orderBy, limit: clauses.limit, offset: clauses.offset };
  }

  select(def: ObjectDef, filter: CompiledFilter, records: StoredRecord[]): StoredRecord[] {
    let rows = records.filter((record) => !filter.where || this.matches(record, filter.where, def));
    rows.sort((a, b) => this.compareForOrder(a, b, filter.orderBy) || a.seq - b.seq);
    if (filter.offset) rows = rows.slice(filter.offset);
    if (filter.limit !== undefined) rows = rows.slice(0, filter.limit);
    return rows;
  }

  resolve(def: ObjectDef, path: FieldPath): ResolvedPath {
    const cached = this.resolved.get(path);
    if (cached) return cached;
    const hops: FieldDef[] = [];
    let targets = [def];
    for (const part of path.parts.slice(0, -1)) {
      const hop = targets.map((t) => t.relationships.get(part.toLowerCase())).find((f) => f !== undefined);
      if (!hop) {
        throw queryError(
          'INVALID_FIELD',
          `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`,
          path.pos,
        );
      }
      hops.push(hop);
      targets = hop.referenceTo.map((name) => this.store.schema.object(name)!);
    }
    const last = path.parts[path.parts.length - 1];
    const field = targets.map((t) => t.fieldMap.get(last.toLowerCase())).find((f) => f !== undefined);
    if (!field) {
      throw queryError(
        'INVALID_FIELD',
        `No such column '${last}' on entity '${targets[0].name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
        path.pos,
      );
    }
    const key = [...hops.map((h) => h.relationshipName!), field.name].join('.').toLowerCase();
    const result = { hops, field, key };
    this.resolved.set(path, result);
    return result;
  }

  /** The value at the end of a path, or null when a lookup on the way is empty. */
  valueOf(record: StoredRecord, path: ResolvedPath): FieldValue {
    let current: StoredRecord | undefined = record;
    for (const hop of path.hops) {
      const id: FieldValue = current.fields[hop.name];
      current = typeof id === 'string' ? this.store.byId(id) : undefined;
      if (!current) return null;
    }
    return current.fields[path.field.name] ?? null;
  }

  shape(record: StoredRecord, paths: ResolvedPath[], apiVersion: string): Record<string, unknown> {
    const row: Record<string, unknown> = {
      attributes: { type: record.type, url: recordUrl(apiVersion, record.type, record.id) },
    };
    for (const path of paths) this.place(row, record, path.hops, path.field, apiVersion);
    return row;
  }

  private place(
    row: Record<string, unknown>,
    record: StoredRecord,
    hops: FieldDef[],
    field: FieldDef,
    apiVersion: string,
  ): void {
    if (hops.length === 0) {
      row[field.name] = record.fields[field.name] ?? null;
      return;
    }
    const [hop, ...rest] = hops;
    const name = hop.relationshipName!;
    if (row[name] === null) return;
    const id = record.fields[hop.name];
    const target = typeof id === 'string' ? this.store.byId(id) : undefined;
    if (!target) {
      row[name] = null;
      return;
    }
    row[name] ??= { attributes: { type: target.type, url: recordUrl(apiVersion, target.type, target.id) } };
    this.place(row[name] as Record<string, unknown>, target, rest, field, apiVersion);
  }

  // --- checking ------------------------------------------------------------------------------------------

  private checkCondition(def: ObjectDef, condition: Condition): void {
    switch (condition.kind) {
      case 'and':
      case 'or':
        condition.operands.forEach((operand) => this.checkCondition(def, operand));
        return;
      case 'not':
        this.checkCondition(def, condition.operand);
        return;
      case 'compare':
      case 'like':
      case 'in': {
        const path = this.resolve(def, condition.field);
        if (!path.field.filterable) {
          throw queryError(
            'INVALID_FIELD',
            `field '${path.field.name}' can not be filtered in query call`,
            condition.field.pos,
          );
        }
        const category = categoryOf(path.field.type);
        if (condition.kind === 'like' && category !== 'string') {
          throw queryError(
            'INVALID_FIELD',
            `invalid operator on field '${path.field.name}': LIKE`,
            condition.pos,
          );
        }
        const values = condition.kind === 'in' ? condition.values : [condition.value];
        for (const value of values) this.checkLiteral(path.field, category, value, condition);
        return;
      }
    }
  }

  private checkLiteral(
    field: FieldDef,
    category: Category,
    value: Literal,
    condition: Condition & { pos: number },
  ): void {
    if (value.kind === 'null') {
      if (condition.kind === 'compare' && condition.op !== '=' && condition.op !== '!=') {
        throw queryError('MALFORMED_QUERY', `invalid operator on null: ${condition.op}`, condition.pos);
      }
      return;
    }
    const mismatch = (expected: string, quoted: boolean) =>
      queryError(
        'INVALID_FIELD',
        `value of filter criterion for field '${field.name}' must be of type ${expected} and should${quoted ? '' : ' not'} be enclosed in quotes`,
        condition.pos,
      );
    switch (category) {
      case 'string':
        if (value.kind !== 'string') throw mismatch('string', true);
        return;
      case 'id':
        if (value.kind !== 'string') throw mismatch('id', true);
        if (condition.kind !== 'like' && !normalizeSalesforceId(value.value)) {
          throw queryError(
            'INVALID_QUERY_FILTER_OPERATOR',
            `invalid ID field: ${value.value}`,
            condition.pos,
          );
        }
        return;
      case 'boolean':
        if (value.kind !== 'boolean') throw mismatch('boolean', false);
        return;
      case 'number':
        if (value.kind !== 'number') throw mismatch('double', false);
        return;
      case 'date':
        if (value.kind !== 'date' && value.kind !== 'dateFunction') throw mismatch('date', false);
        return;
      case 'datetime':
        if (value.kind !== 'datetime' && value.kind !== 'dateFunction') throw mismatch('dateTime', false);
        return;
      case 'blob':
        throw queryError(
          'INVALID_FIELD',
          `field '${field.name}' can not be filtered in query call`,
          condition.pos,
        );
    }
  }

  /** "ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId" (object reference). */
  private requireLinkFilter(where: Condition | undefined): void {
    const operands = where?.kind === 'and' ? where.operands : where ? [where] : [];
    const ok = operands.some(
      (c) =>
        ((c.kind === 'compare' && c.op === '=') || (c.kind === 'in' && !c.negated)) &&
        ['contentdocumentid', 'linkedentityid'].includes(c.field.parts.join('.').toLowerCase()),
    );
    if (!ok) {
      throw queryError(
        'MALFORMED_QUERY',
        "Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
      );
    }
  }

  // --- evaluation ----------------------------------------------------------------------------------------

  matches(record: StoredRecord, condition: Condition, def: ObjectDef): boolean {
    switch (condition.kind) {
      case 'and':
        return condition.operands.every((operand) => this.matches(record, operand, def));
      case 'or':
        return condition.operands.some((operand) => this.matches(record, operand, def));
      case 'not':
        return !this.matches(record, condition.operand, def);
      case 'compare': {
        const path = this.resolve(def, condition.field);
        return this.compare(this.valueOf(record, path), condition.op, condition.value, path.field);
      }
      case 'like': {
        const value = this.valueOf(record, this.resolve(def, condition.field));
        // LIKE is case-insensitive (SOQL reference, "Comparison Operators").
        let pattern = this.patterns.get(condition);
        if (!pattern) this.patterns.set(condition, (pattern = likeMatcher(condition.value)));
        return value !== null && pattern(String(value));
      }
      case 'in': {
        const path = this.resolve(def, condition.field);
        const value = this.valueOf(record, path);
        const found = condition.values.some((literal) => this.compare(value, '=', literal, path.field));
        return condition.negated ? !found : found;
      }
    }
  }

  private compare(value: FieldValue, op: CompareOp, literal: Literal, field: FieldDef): boolean {
    if (literal.kind === 'null') return op === '=' ? value === null : value !== null;
    // A null field is "not equal" to any value and neither less nor greater.
    if (value === null) return op === '!=';
    const category = categoryOf(field.type);
    if (literal.kind === 'dateFunction') {
      const [start, end] = this.dateRange(literal);
      const v =
        category === 'date'
          ? Date.parse(`${String(value)}T00:00:00Z`)
          : (parseSfDateTime(String(value)) ?? NaN);
      switch (op) {
        case '=':
          return v >= start && v < end;
        case '!=':
          return !(v >= start && v < end);
        case '<':
          return v < start;
        case '<=':
          return v < end;
        case '>':
          return v >= end;
        case '>=':
          return v >= start;
      }
    }
    let left: string | number | boolean;
    let right: string | number | boolean;
    switch (literal.kind) {
      case 'string': {
        // `=` on text is case-insensitive in Salesforce; ids compare in their canonical 18-character form
        // (stored ids already are). The literal is normalised once per query.
        right = this.normalizedLiteral(literal, category);
        const text = String(value);
        if ((op === '=' || op === '!=') && text.length !== right.length) return op === '!=';
        left = category === 'id' ? text : text.toLowerCase();
        break;
      }
      case 'datetime':
        left = parseSfDateTime(String(value)) ?? NaN;
        right = literal.value;
        break;
      case 'number':
      case 'boolean':
      case 'date':
        left = value;
        right = literal.value;
        break;
    }
    switch (op) {
      case '=':
        return left === right;
      case '!=':
        return left !== right;
      case '<':
        return left < right;
      case '<=':
        return left <= right;
      case '>':
        return left > right;
      case '>=':
        return left >= right;
    }
  }

  private normalizedLiteral(literal: Extract<Literal, { kind: 'string' }>, category: Category): string {
    let normalized = this.literals.get(literal);
    if (normalized === undefined) {
      normalized =
        category === 'id'
          ? (normalizeSalesforceId(literal.value) ?? literal.value)
          : literal.value.toLowerCase();
      this.literals.set(literal, normalized);
    }
    return normalized;
  }

  /** [start, end) in ms; days are UTC days (the fake org's time zone is GMT). */
  private dateRange(literal: Extract<Literal, { kind: 'dateFunction' }>): [number, number] {
    const today = Date.parse(`${formatSfDate(this.now())}T00:00:00Z`);
    switch (literal.name) {
      case 'TODAY':
        return [today, today + DAY_MS];
      case 'YESTERDAY':
        return [today - DAY_MS, today];
      case 'TOMORROW':
        return [today + DAY_MS, today + 2 * DAY_MS];
      case 'LAST_N_DAYS':
        return [today - literal.n * DAY_MS, today + DAY_MS];
      case 'NEXT_N_DAYS':
        return [today + DAY_MS, today + (literal.n + 1) * DAY_MS];
    }
  }

  private compareForOrder(a: StoredRecord, b: StoredRecord, orderBy: CompiledFilter['orderBy']): number {
    for (const { path, item } of orderBy) {
      const left = this.valueOf(a, path);
      const right = this.valueOf(b, path);
      if (left === right) continue;
      if (left === null || right === null) return (left === null) === item.nullsFirst ? -1 : 1;
      const l = typeof left === 'string' ? left.toLowerCase() : left;
      const r = typeof right === 'string' ? right.toLowerCase() : right;
      if (l === r) continue;
      const order = l < r ? -1 : 1;
      return item.descending ? -order : order;
    }
    return 0;
  }
}

/**
 * A LIKE test. Patterns with `%` only are matched segment by segment (leftmost occurrence of each literal, which
 * is exact for them), not by a regex: `'%4%1%5%…%'` would make a backtracking regex slow on every miss.
 */
export function likeMatcher(literal: {
  likeSource: string;
  likeParts?: string[];
}): (text: string) => boolean {
  const parts = literal.likeParts?.map((part) => part.toLowerCase());
  if (!parts) {
    const regex = new RegExp(`^${literal.likeSource}$`, 'is');
    return (text) => regex.test(text);
  }
  const [first, ...rest] = parts;
  const last = rest.pop();
  return (text) => {
    const value = text.toLowerCase();
    if (last === undefined) return value === first;
    if (!value.startsWith(first)) return false;
    let at = first.length;
    for (const part of rest) {
      const found = value.indexOf(part, at);
      if (found < 0) return false;
      at = found + part.length;
    }
    return value.length - last.length >= at && value.endsWith(last);
  };
}
