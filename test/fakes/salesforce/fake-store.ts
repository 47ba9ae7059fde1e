import { badRequest, notFound, sfError } from './fake-errors';
import { DuplicateRules, FakeDuplicateRule } from './fake-duplicate-rules';
import {
  CASE_CLOSED_STATUSES,
  FakeSchema,
  FieldDef,
  formatSfDateTime,
  isValidDate,
  makeSalesforceId,
  normalizeSalesforceId,
  ObjectDef,
  parseSfDateTime,
  TASK_CLOSED_STATUSES,
} from './fake-schema';

export type FieldValue = string | number | boolean | null;
export type Fields = Record<string, FieldValue>;

interface IndexEntry {
  visibleAt: number;
  fields: Readonly<Fields>;
}

export interface StoredRecord {
  readonly type: string;
  readonly id: string;
  readonly fields: Readonly<Fields>;
  /** Insertion order, for stable query results. */
  readonly seq: number;
  /** What SOSL sees: snapshots that become visible `searchIndexLagMs` after each write (reference §2.9). */
  readonly index: readonly IndexEntry[];
  /** Case only: whether assignment rules ran (no `Sforce-Auto-Assign: FALSE` header; reference §2.3). */
  readonly assignmentRulesApplied?: boolean;
  /** ContentVersion only: the decoded file. */
  readonly blob?: Buffer;
}

export interface WriteContext {
  apiVersion: string;
  autoAssign?: boolean;
  /** `Sforce-Duplicate-Rule-Header: allowSave=true` was sent. */
  allowDuplicateSave?: boolean;
}

type Mode = 'create' | 'update' | 'seed';

export const DEFAULT_API_VERSION = '62.0';

export function recordUrl(apiVersion: string, type: string, id: string): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${id}`;
}

/** SOSL matches phones on at least seven digits (sosl-parser.ts), so equal matches share their last seven. */
const PHONE_TAIL_DIGITS = 7;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * In-memory records with Salesforce's write validation. All writes go through `put`/`remove`, which keep the
 * unique indexes and, inside a transaction, an undo log (used by `/composite` and collections with allOrNone).
 */
export class FakeStore {
  private readonly tables = new Map<string, Map<string, StoredRecord>>();
  private readonly uniqueIndex = new Map<string, Map<string, string>>();
  /**
   * Lookup indexes that keep the fake fast with tens of thousands of records (the bench): record ids by the
   * value of a reference field (`Case.ContactId`), and by the last seven digits of a phone in any SOSL snapshot.
   * Entries are only ever added, so they give a superset: every candidate still goes through the real filter.
   */
  private readonly referenceIndex = new Map<string, Map<string, Set<string>>>();
  private readonly phoneTailIndex = new Map<string, Map<string, Set<string>>>();
  /**
   * For LIKE filters on a phone field whose literal parts are digits (`Phone LIKE '%4%1%5%…'`, the service's
   * caller lookup): record ids by each way of dropping up to two digits from the phone's digits, built per
   * pattern length when a query first needs it (`Type.Field#length`). Phones with more extra digits than that
   * are always candidates. Like the others it only grows, a superset for the real filter.
   */
  private readonly phoneDigitsIndex = new Map<
    string,
    { byDigits: Map<string, Set<string>>; always: Set<string> }
  >();
  private undoLog: (() => void)[] | undefined;
  private transactionDepth = 0;
  private sequence = 0;
  private nextCaseNumber = 1000;
  readonly duplicateRules: DuplicateRules;

  constructor(
    readonly schema: FakeSchema,
    private readonly now: () => number,
    private readonly searchIndexLagMs: number,
    duplicateRules: FakeDuplicateRule[] = [],
  ) {
    for (const def of schema.objects.values()) this.tables.set(def.name, new Map());
    this.duplicateRules = new DuplicateRules(duplicateRules);
  }

  reset(): void {
    this.duplicateRules.reset();
    for (const table of this.tables.values()) table.clear();
    this.uniqueIndex.clear();
    this.referenceIndex.clear();
    this.phoneTailIndex.clear();
    this.phoneDigitsIndex.clear();
    this.sequence = 0;
    this.nextCaseNumber = 1000;
  }

  // --- reads ---------------------------------------------------------------------------------------------

  objectDef(type: string): ObjectDef {
    const def = this.schema.object(type);
    // "The requested resource does not exist" is what /sobjects/Unknown answers.
    if (!def) throw notFound();
    return def;
  }

  all(type: string): StoredRecord[] {
    const def = this.schema.object(type);
    return def ? [...this.tables.get(def.name)!.values()] : [];
  }

  get(type: string, id: string): StoredRecord | undefined {
    const def = this.schema.object(type);
    const canonical = normalizeSalesforceId(id);
    if (!def || !canonical) return undefined;
    return this.tables.get(def.name)!.get(canonical);
  }

  /** Any record by id, whatever its type (the key prefix says which table). */
  byId(id: string): StoredRecord | undefined {
    const canonical = normalizeSalesforceId(id);
    const def = canonical ? this.schema.objectOfId(canonical) : undefined;
    return def && canonical ? this.tables.get(def.name)!.get(canonical) : undefined;
  }

  findByExternalId(def: ObjectDef, field: FieldDef, value: string): StoredRecord | undefined {
    const id = this.uniqueIndex.get(`${def.name}.${field.name}`)?.get(value.toLowerCase());
    return id ? this.tables.get(def.name)!.get(id) : undefined;
  }

  /** A superset of the records of `type` whose reference `field` holds `id` (canonical 18 characters). */
  withReference(type: string, field: string, id: string): StoredRecord[] {
    return this.candidates(type, this.referenceIndex.get(`${type}.${field}`)?.get(id));
  }

  /** A superset of the records of `type` with a phone, in any SOSL snapshot, ending in the same seven digits. */
  withPhoneTail(type: string, digits: string): StoredRecord[] {
    if (digits.length < PHONE_TAIL_DIGITS) return [];
    return this.candidates(type, this.phoneTailIndex.get(type)?.get(digits.slice(-PHONE_TAIL_DIGITS)));
  }

  /**
   * A superset of the records of `type` whose phone `field` holds `digits` in order, with anything between
   * them: whatever else a LIKE pattern of those digits demands, a record outside this set cannot match it.
   */
  withPhoneDigitsInOrder(type: string, field: string, digits: string): StoredRecord[] {
    const key = `${type}.${field}#${digits.length}`;
    let index = this.phoneDigitsIndex.get(key);
    if (!index) {
      this.phoneDigitsIndex.set(key, (index = { byDigits: new Map(), always: new Set() }));
      for (const record of this.tables.get(type)?.values() ?? []) this.indexPhoneDigits(key, record, field);
    }
    const ids = new Set([...(index.byDigits.get(digits) ?? []), ...index.always]);
    return this.candidates(type, ids);
  }

  private indexPhoneDigits(key: string, record: StoredRecord, field: string): void {
    const index = this.phoneDigitsIndex.get(key)!;
    const length = Number(key.slice(key.lastIndexOf('#') + 1));
    const digits = String(record.fields[field] ?? '').replace(/\D/g, '');
    if (digits.length < length) return;
    if (digits.length - length > 2) {
      index.always.add(record.id);
      return;
    }
    for (const kept of digitsKeeping(digits, length)) {
      let ids = index.byDigits.get(kept);
      if (!ids) index.byDigits.set(kept, (ids = new Set()));
      ids.add(record.id);
    }
  }

  private candidates(type: string, ids: Set<string> | undefined): StoredRecord[] {
    const table = this.tables.get(type);
    if (!table || !ids) return [];
    const found: StoredRecord[] = [];
    for (const id of ids) {
      const record = table.get(id);
      if (record) found.push(record);
    }
    return found.sort((a, b) => a.seq - b.seq);
  }

  /** The field values SOSL can see now, or undefined while the record is not yet indexed. */
  searchableFields(record: StoredRecord): Readonly<Fields> | undefined {
    const now = this.now();
    let visible: Readonly<Fields> | undefined;
    for (const entry of record.index) if (entry.visibleAt <= now) visible = entry.fields;
    return visible;
  }

  // --- transactions --------------------------------------------------------------------------------------

  /** Runs `work`; if it returns false, every write made inside is undone. Nestable. */
  transaction<T>(work: () => { keep: boolean; value: T }): T {
    this.undoLog ??= [];
    this.transactionDepth++;
    const mark = this.undoLog.length;
    try {
      const { keep, value } = work();
      if (!keep) this.rollbackTo(mark);
      return value;
    } catch (error) {
      this.rollbackTo(mark);
      throw error;
    } finally {
      this.transactionDepth--;
      if (this.transactionDepth === 0) this.undoLog = undefined;
    }
  }

  private rollbackTo(mark: number): void {
    const log = this.undoLog!;
    while (log.length > mark) log.pop()!();
  }

  // --- writes --------------------------------------------------------------------------------------------

  create(type: string, body: unknown, context: WriteContext): string {
    return this.insertRecord(this.objectDef(type), body, 'create', context);
  }

  /** Seeding: bypasses field-level access (so CreatedDate or CaseNumber can be set), still validates values. */
  seed(type: string, fields: Record<string, unknown>): string {
    return this.insertRecord(this.objectDef(type), fields, 'seed', { apiVersion: DEFAULT_API_VERSION });
  }

  update(type: string, id: string, body: unknown, context: WriteContext): void {
    const def = this.objectDef(type);
    const existing = this.get(def.name, id);
    if (!existing) throw notFound();
    const values = this.prepare(def, body, 'update', existing.id);
    const fields = { ...existing.fields, ...values, LastModifiedDate: formatSfDateTime(this.now()) };
    this.derive(def, fields);
    this.duplicateRules.check(def, fields, existing.id, this.all(def.name), context);
    this.checkUnique(def, fields, existing.id);
    this.put({ ...existing, fields, index: this.nextIndex(existing, fields) });
  }

  upsert(
    type: string,
    externalField: string,
    value: string,
    body: unknown,
    context: WriteContext,
  ): { id: string; created: boolean } {
    const def = this.objectDef(type);
    const field = def.fieldMap.get(externalField.toLowerCase());
    if (!field?.externalId) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${externalField}`);
    }
    const payload = { ...this.asObject(body) };
    for (const key of Object.keys(payload)) {
      if (key.toLowerCase() !== field.name.toLowerCase()) continue;
      if (String(payload[key]).toLowerCase() !== value.toLowerCase()) {
        throw badRequest('INVALID_FIELD', `The value of ${field.name} in the body does not match the URL`, [
          field.name,
        ]);
      }
      delete payload[key];
    }
    const existing = this.findByExternalId(def, field, value);
    if (existing) {
      this.update(def.name, existing.id, payload, context);
      return { id: existing.id, created: false };
    }
    return { id: this.create(def.name, { ...payload, [field.name]: value }, context), created: true };
  }

  delete(type: string, id: string): void {
    const def = this.objectDef(type);
    const existing = this.get(def.name, id);
    if (!existing) throw notFound('entity is deleted');
    this.remove(existing);
    // Deleting a Case deletes its comments (master-detail).
    if (def.name === 'Case') {
      for (const comment of this.all('CaseComment'))
        if (comment.fields.ParentId === existing.id) this.remove(comment);
    }
  }

  private insertRecord(def: ObjectDef, body: unknown, mode: Mode, context: WriteContext): string {
    if (mode !== 'seed' && !def.createable) {
      throw badRequest('INVALID_TYPE_FOR_OPERATION', `entity type ${def.name} does not support insert`);
    }
    const values = this.prepare(def, body, mode);
    const id = makeSalesforceId(def.keyPrefix, ++this.sequence);
    const now = formatSfDateTime(this.now());
    const fields: Fields = { Id: id, CreatedDate: now };
    for (const f of def.fields) {
      if (f.name in values || f.name === 'Id' || f.name === 'CreatedDate') continue;
      const pick = f.picklistValues.find((p) => p.defaultValue);
      fields[f.name] = pick ? pick.value : f.type === 'boolean' ? false : null;
    }
    Object.assign(fields, values);
    fields.LastModifiedDate ??= fields.CreatedDate;
    // Fields defaulted on create (Status, Title, …) are only missing when the body sets them to null.
    const required = def.fields.filter((f) => f.name in values || !f.defaultedOnCreate).map((f) => f.name);
    this.checkRequired(def, fields, required);
    let blob: Buffer | undefined;
    switch (def.name) {
      case 'Case':
        if (mode !== 'seed' || fields.CaseNumber === null) {
          fields.CaseNumber = String(this.nextCaseNumber++).padStart(8, '0');
        }
        // The Account is filled in from the Contact (help `cases_fields`).
        if (fields.ContactId && !this.hasKey(body, 'AccountId')) {
          fields.AccountId = this.byId(String(fields.ContactId))?.fields.AccountId ?? null;
        }
        break;
      case 'ContentVersion':
        blob = Buffer.from(String(fields.VersionData), 'base64');
        fields.VersionData = `${recordUrl(context.apiVersion, 'ContentVersion', id)}/VersionData`;
        fields.ContentSize = blob.length;
        fields.Title ??= String(fields.PathOnClient).split(/[\\/]/).pop() ?? null;
        break;
      default:
        break;
    }
    this.derive(def, fields);
    if (mode !== 'seed') this.duplicateRules.check(def, fields, id, this.all(def.name), context);
    this.checkUnique(def, fields, id);
    const record: StoredRecord = {
      type: def.name,
      id,
      fields,
      seq: this.sequence,
      index: [],
      ...(def.name === 'Case' ? { assignmentRulesApplied: context.autoAssign ?? true } : {}),
      ...(blob ? { blob } : {}),
    };
    this.put({ ...record, index: this.nextIndex(record, fields) });
    if (def.name === 'ContentVersion') this.publishDocument(id, fields, context);
    return id;
  }

  /** A ContentVersion insert creates its ContentDocument and, with FirstPublishLocationId, the link. */
  private publishDocument(versionId: string, version: Fields, context: WriteContext): void {
    const documentId = this.seed('ContentDocument', { Title: version.Title });
    this.put(
      this.withFields(this.get('ContentDocument', documentId)!, { LatestPublishedVersionId: versionId }),
    );
    this.put(this.withFields(this.get('ContentVersion', versionId)!, { ContentDocumentId: documentId }));
    if (version.FirstPublishLocationId) {
      this.create(
        'ContentDocumentLink',
        { ContentDocumentId: documentId, LinkedEntityId: version.FirstPublishLocationId },
        context,
      );
    }
  }

  private withFields(record: StoredRecord, changes: Fields): StoredRecord {
    const fields = { ...record.fields, ...changes };
    return { ...record, fields, index: this.nextIndex(record, fields) };
  }

  private hasKey(body: unknown, name: string): boolean {
    return Object.keys(this.asObject(body)).some((key) => key.toLowerCase() === name.toLowerCase());
  }

  private derive(def: ObjectDef, fields: Fields): void {
    switch (def.name) {
      case 'Case': {
        const closed = CASE_CLOSED_STATUSES.has(String(fields.Status));
        fields.IsClosed = closed;
        if (!closed) fields.ClosedDate = null;
        else fields.ClosedDate ??= formatSfDateTime(this.now());
        break;
      }
      case 'Contact':
        fields.Name = [fields.FirstName, fields.LastName].filter((part) => part).join(' ');
        break;
      case 'Task':
        fields.IsClosed = TASK_CLOSED_STATUSES.has(String(fields.Status));
        break;
      default:
        break;
    }
  }

  private nextIndex(record: StoredRecord, fields: Readonly<Fields>): IndexEntry[] {
    const now = this.now();
    const lastVisible = record.index.findLastIndex((entry) => entry.visibleAt <= now);
    return [
      ...record.index.slice(Math.max(lastVisible, 0)),
      { visibleAt: now + this.searchIndexLagMs, fields },
    ];
  }

  private asObject(body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    return body as Record<string, unknown>;
  }

  /** Checks names, access and values of a request body; returns canonical field name → stored value. */
  private prepare(def: ObjectDef, body: unknown, mode: Mode, recordId?: string): Fields {
    const values: Fields = {};
    const notWritable: string[] = [];
    for (const [key, raw] of Object.entries(this.asObject(body))) {
      if (key === 'attributes') continue;
      const field = def.fieldMap.get(key.toLowerCase());
      if (!field) throw badRequest('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`);
      if (field.name === 'Id') {
        if (mode === 'update' && typeof raw === 'string' && normalizeSalesforceId(raw) === recordId) continue;
        throw badRequest(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          mode === 'update' ? 'Id in the body does not match the URL' : 'cannot specify Id in an insert call',
          ['Id'],
        );
      }
      const writable = mode === 'seed' || (mode === 'create' ? field.createable : field.updateable);
      if (!writable) {
        notWritable.push(field.name);
        continue;
      }
      values[field.name] = this.coerce(field, raw);
    }
    if (notWritable.length > 0) {
      throw badRequest(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        notWritable,
      );
    }
    if (mode === 'update') this.checkRequired(def, values, Object.keys(values));
    return values;
  }

  private checkRequired(def: ObjectDef, fields: Fields, keys: string[]): void {
    const missing = def.fields
      .filter((f) => !f.nillable && (f.createable || f.updateable) && keys.includes(f.name))
      .filter((f) => fields[f.name] === null || fields[f.name] === undefined)
      .map((f) => f.name);
    if (missing.length > 0) {
      throw badRequest(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
  }

  private checkUnique(def: ObjectDef, fields: Fields, id: string): void {
    for (const field of def.fields) {
      const value = fields[field.name];
      if (!field.unique || value === null || value === undefined) continue;
      const other = this.uniqueIndex.get(`${def.name}.${field.name}`)?.get(String(value).toLowerCase());
      if (other && other !== id) {
        throw badRequest(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${other}`,
          [],
        );
      }
    }
  }

  private coerce(field: FieldDef, raw: unknown): FieldValue {
    if (raw === null) return null;
    const jsonError = (expected: string) =>
      badRequest(
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${expected} from ${Array.isArray(raw) ? 'START_ARRAY' : typeof raw} value for field ${field.name}`,
      );
    switch (field.type) {
      case 'string':
      case 'textarea':
      case 'phone':
      case 'email':
      case 'combobox':
      case 'picklist': {
        if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
          throw jsonError('string');
        const text = String(raw);
        // An empty string clears a text field.
        if (text === '') return null;
        const size = field.limitInBytes ? Buffer.byteLength(text, 'utf8') : text.length;
        if (field.length > 0 && size > field.length) {
          throw badRequest(
            'STRING_TOO_LONG',
            `${field.label}: data value too large: ${text.slice(0, 20)}... (max length=${field.length})`,
            [field.name],
          );
        }
        if (field.type === 'email' && !EMAIL.test(text)) {
          throw badRequest('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [
            field.name,
          ]);
        }
        if (field.restrictedPicklist && !field.picklistValues.some((p) => p.active && p.value === text)) {
          throw badRequest(
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${field.label}: bad value for restricted picklist field: ${text}`,
            [field.name],
          );
        }
        return text;
      }
      case 'reference': {
        if (typeof raw !== 'string') throw jsonError('id');
        if (raw === '') return null;
        const id = normalizeSalesforceId(raw);
        if (!id)
          throw badRequest('MALFORMED_ID', `${field.label}: id value of incorrect type: ${raw}`, [
            field.name,
          ]);
        const target = this.byId(id);
        if (!target || !field.referenceTo.includes(target.type)) {
          throw badRequest('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name]);
        }
        return id;
      }
      case 'boolean':
        if (typeof raw !== 'boolean') throw jsonError('boolean');
        return raw;
      case 'int':
        if (typeof raw !== 'number' || !Number.isInteger(raw)) throw jsonError('int');
        return raw;
      case 'date':
        if (typeof raw !== 'string' || !isValidDate(raw)) throw jsonError('date');
        return raw;
      case 'datetime': {
        const ms = typeof raw === 'string' ? parseSfDateTime(raw) : undefined;
        if (ms === undefined) throw jsonError('datetime');
        return formatSfDateTime(ms);
      }
      case 'base64':
        if (typeof raw !== 'string' || !BASE64.test(raw)) throw jsonError('base64');
        return raw;
      case 'id':
        throw sfError(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field.name}`,
          [field.name],
        );
    }
  }

  // --- the only two mutations --------------------------------------------------------------------------

  private put(record: StoredRecord): void {
    const table = this.tables.get(record.type)!;
    const previous = table.get(record.id);
    table.set(record.id, record);
    this.reindexUnique(previous, record);
    this.indexLookups(record);
    this.undoLog?.push(() => {
      if (previous) table.set(record.id, previous);
      else table.delete(record.id);
      this.reindexUnique(record, previous);
    });
  }

  private remove(record: StoredRecord): void {
    const table = this.tables.get(record.type)!;
    table.delete(record.id);
    this.reindexUnique(record, undefined);
    this.undoLog?.push(() => {
      table.set(record.id, record);
      this.reindexUnique(undefined, record);
    });
  }

  private indexLookups(record: StoredRecord): void {
    const def = this.schema.object(record.type)!;
    const add = (indexes: Map<string, Map<string, Set<string>>>, key: string, value: string) => {
      let byValue = indexes.get(key);
      if (!byValue) indexes.set(key, (byValue = new Map()));
      let ids = byValue.get(value);
      if (!ids) byValue.set(value, (ids = new Set()));
      ids.add(record.id);
    };
    for (const field of def.fields) {
      if (field.type === 'reference') {
        const value = record.fields[field.name];
        if (typeof value === 'string') add(this.referenceIndex, `${def.name}.${field.name}`, value);
      } else if (field.type === 'phone') {
        for (const key of this.phoneDigitsIndex.keys()) {
          if (key.startsWith(`${def.name}.${field.name}#`)) this.indexPhoneDigits(key, record, field.name);
        }
        for (const entry of record.index) {
          const digits = String(entry.fields[field.name] ?? '').replace(/\D/g, '');
          if (digits.length >= PHONE_TAIL_DIGITS)
            add(this.phoneTailIndex, def.name, digits.slice(-PHONE_TAIL_DIGITS));
        }
      }
    }
  }

  private reindexUnique(before: StoredRecord | undefined, after: StoredRecord | undefined): void {
    const def = this.schema.object((before ?? after)!.type)!;
    for (const field of def.fields) {
      if (!field.unique) continue;
      const key = `${def.name}.${field.name}`;
      let index = this.uniqueIndex.get(key);
      if (!index) this.uniqueIndex.set(key, (index = new Map<string, string>()));
      const old = before?.fields[field.name];
      if (old !== null && old !== undefined && index.get(String(old).toLowerCase()) === before!.id) {
        index.delete(String(old).toLowerCase());
      }
      const value = after?.fields[field.name];
      if (value !== null && value !== undefined) index.set(String(value).toLowerCase(), after!.id);
    }
  }
}

/** Every string of `length` characters that `digits` (at most two longer) gives by dropping characters. */
function digitsKeeping(digits: string, length: number): Set<string> {
  const kept = new Set<string>();
  const drop = digits.length - length;
  if (drop === 0) kept.add(digits);
  for (let i = 0; i < digits.length && drop >= 1; i += 1) {
    const once = digits.slice(0, i) + digits.slice(i + 1);
    if (drop === 1) kept.add(once);
    else for (let j = i; j < once.length; j += 1) kept.add(once.slice(0, j) + once.slice(j + 1));
  }
  return kept;
}
