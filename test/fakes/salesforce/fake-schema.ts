/**
 * The objects and fields the service uses, with the limits and flags of reference/salesforce.md §4 and the
 * wire contract. Field names are canonical API names; lookups are case-insensitive as in Salesforce.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'phone'
  | 'email'
  | 'picklist'
  | 'combobox'
  | 'reference'
  | 'boolean'
  | 'int'
  | 'date'
  | 'datetime'
  | 'base64';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  /** CaseComment.CommentBody is limited in UTF-8 bytes, not characters (object reference, CaseComment). */
  limitInBytes: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  filterable: boolean;
  sortable: boolean;
  externalId: boolean;
  unique: boolean;
  idLookup: boolean;
  calculated: boolean;
  autoNumber: boolean;
  custom: boolean;
  restrictedPicklist: boolean;
  picklistValues: PicklistValue[];
  referenceTo: string[];
  relationshipName: string | null;
  /** Searched by SOSL `IN NAME FIELDS`. */
  nameField: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  searchable: boolean;
  fields: FieldDef[];
  /** lower-case field name → field */
  fieldMap: Map<string, FieldDef>;
  /** lower-case relationship name (`contact`, `who`) → its reference field */
  relationships: Map<string, FieldDef>;
}

export interface SchemaOptions {
  caseTypes?: string[];
  caseExternalIdField?: string;
  taskExternalIdField?: string;
}

type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type' | 'picklistValues'>> & {
  picklist?: string[];
  defaultPick?: string;
};

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2');
}

function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const { picklist, defaultPick, ...rest } = options;
  const longText = type === 'textarea' && (options.length ?? 255) > 255;
  const defaultLength: Partial<Record<FieldType, number>> = { id: 18, reference: 18, phone: 40, email: 80 };
  const def: FieldDef = {
    name,
    label: labelOf(name),
    type,
    length: defaultLength[type] ?? (type === 'picklist' ? 255 : 0),
    limitInBytes: false,
    createable: true,
    updateable: true,
    nillable: true,
    defaultedOnCreate: false,
    // Long text areas and blobs cannot be filtered or sorted (SOQL reference, "Filtering on long text fields").
    filterable: !longText && type !== 'base64',
    sortable: !longText && type !== 'base64',
    externalId: false,
    unique: false,
    idLookup: false,
    calculated: false,
    autoNumber: false,
    custom: name.endsWith('__c'),
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    nameField: false,
    ...rest,
    picklistValues: (picklist ?? []).map((value) => ({
      value,
      label: value,
      active: true,
      defaultValue: value === defaultPick,
    })),
  };
  if (defaultPick !== undefined) def.defaultedOnCreate = true;
  if (type === 'reference' && def.relationshipName === null) {
    def.relationshipName = name.endsWith('__c') ? name.replace(/__c$/, '__r') : name.replace(/Id$/, '');
  }
  return def;
}

const readOnly: FieldOptions = { createable: false, updateable: false };

function systemFields(): FieldDef[] {
  return [
    field('Id', 'id', { ...readOnly, nillable: false, defaultedOnCreate: true, idLookup: true }),
    field('CreatedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('LastModifiedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
  ];
}

function objectDef(name: string, keyPrefix: string, fields: FieldDef[], searchable = true): ObjectDef {
  const all = [...systemFields(), ...fields];
  return {
    name,
    label: labelOf(name),
    keyPrefix,
    createable: true,
    updateable: true,
    deletable: true,
    searchable,
    fields: all,
    fieldMap: new Map(all.map((f) => [f.name.toLowerCase(), f])),
    relationships: new Map(
      all.filter((f) => f.relationshipName !== null).map((f) => [f.relationshipName!.toLowerCase(), f]),
    ),
  };
}

function externalIdText(name: string): FieldDef {
  // A unique external ID is case-insensitive unless created "case sensitive" (reference §2.7, field setup).
  return field(name, 'string', { length: 255, externalId: true, unique: true, idLookup: true });
}

export const DEFAULT_CASE_TYPES = ['Billing', 'Technical', 'Account', 'Other'];
export const CASE_CLOSED_STATUSES = new Set(['Closed']);
export const TASK_CLOSED_STATUSES = new Set(['Completed']);

export class FakeSchema {
  readonly objects = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();

  constructor(options: SchemaOptions = {}) {
    const caseFields = [
      field('CaseNumber', 'string', {
        ...readOnly,
        length: 30,
        autoNumber: true,
        nillable: false,
        nameField: true,
      }),
      field('Subject', 'string', { length: 255, nameField: true }),
      field('Description', 'textarea', { length: 32000 }),
      field('Status', 'picklist', {
        picklist: ['New', 'Working', 'Escalated', 'Closed'],
        defaultPick: 'New',
        nillable: false,
      }),
      field('IsClosed', 'boolean', {
        ...readOnly,
        calculated: true,
        nillable: false,
        defaultedOnCreate: true,
      }),
      field('Priority', 'picklist', { picklist: ['Low', 'Medium', 'High'], defaultPick: 'Medium' }),
      field('Type', 'picklist', {
        picklist: options.caseTypes ?? DEFAULT_CASE_TYPES,
        restrictedPicklist: true,
      }),
      field('Origin', 'picklist', { picklist: ['Phone', 'Email', 'Web'] }),
      field('ContactId', 'reference', { referenceTo: ['Contact'] }),
      field('AccountId', 'reference', { referenceTo: ['Account'] }),
      field('ClosedDate', 'datetime', readOnly),
    ];
    if (options.caseExternalIdField) caseFields.push(externalIdText(options.caseExternalIdField));

    const taskFields = [
      field('Subject', 'combobox', { length: 255, nameField: true }),
      field('Description', 'textarea', { length: 32000 }),
      field('Status', 'picklist', {
        picklist: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
        defaultPick: 'Not Started',
        nillable: false,
      }),
      field('IsClosed', 'boolean', {
        ...readOnly,
        calculated: true,
        nillable: false,
        defaultedOnCreate: true,
      }),
      field('Priority', 'picklist', {
        picklist: ['High', 'Normal', 'Low'],
        defaultPick: 'Normal',
        nillable: false,
      }),
      // "This field isn't updateable" (object reference, Task.TaskSubtype).
      field('TaskSubtype', 'picklist', {
        picklist: ['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn'],
        restrictedPicklist: true,
        updateable: false,
      }),
      field('CallType', 'picklist', {
        picklist: ['Inbound', 'Internal', 'Outbound'],
        restrictedPicklist: true,
      }),
      field('CallDurationInSeconds', 'int'),
      field('CallObject', 'string', { length: 255 }),
      field('CallDisposition', 'string', { length: 255 }),
      field('ActivityDate', 'date'),
      field('WhoId', 'reference', { referenceTo: ['Contact'], relationshipName: 'Who' }),
      field('WhatId', 'reference', { referenceTo: ['Account', 'Case'], relationshipName: 'What' }),
      // Custom fields an org might add for what VAPI extracts from a call (TASK_FIELD_MAP).
      field('Call_Disposition__c', 'string', { length: 255 }),
      field('Sentiment__c', 'picklist', { picklist: ['positive', 'neutral', 'negative'] }),
      field('Call_Note__c', 'string', { length: 255 }),
      field('Resolved__c', 'boolean', { nillable: false, defaultedOnCreate: true }),
    ];
    if (options.taskExternalIdField) taskFields.push(externalIdText(options.taskExternalIdField));

    const defs = [
      objectDef('Account', '001', [
        field('Name', 'string', { length: 255, nillable: false, nameField: true }),
        field('AccountNumber', 'string', { length: 40 }),
        field('Phone', 'phone'),
      ]),
      objectDef('Contact', '003', [
        field('FirstName', 'string', { length: 40, nameField: true }),
        field('LastName', 'string', { length: 80, nillable: false, nameField: true }),
        field('Name', 'string', { ...readOnly, length: 121, calculated: true, nameField: true }),
        field('Title', 'string', { length: 128 }),
        field('Email', 'email'),
        field('Phone', 'phone'),
        field('MobilePhone', 'phone'),
        field('AccountId', 'reference', { referenceTo: ['Account'] }),
        field('MailingStreet', 'textarea', { length: 255 }),
        field('MailingCity', 'string', { length: 40 }),
        field('MailingState', 'string', { length: 80 }),
        field('MailingPostalCode', 'string', { length: 20 }),
        field('MailingCountry', 'string', { length: 80 }),
      ]),
      objectDef('Case', '500', caseFields),
      objectDef(
        'CaseComment',
        '00a',
        [
          field('ParentId', 'reference', {
            referenceTo: ['Case'],
            relationshipName: 'Parent',
            nillable: false,
            updateable: false,
          }),
          field('CommentBody', 'textarea', { length: 4000, limitInBytes: true }),
          field('IsPublished', 'boolean', { nillable: false, defaultedOnCreate: true }),
        ],
        false,
      ),
      objectDef('Task', '00T', taskFields),
      // Lightning Knowledge's article versions (object reference, Knowledge__kav / KnowledgeArticleVersion):
      // one row per version; only `Online` ones are published. Answer__c stands for an org's rich-text field.
      objectDef('Knowledge__kav', 'ka0', [
        field('Title', 'string', { length: 255, nillable: false, nameField: true }),
        field('Summary', 'textarea', { length: 1000 }),
        field('UrlName', 'string', { length: 255, nillable: false }),
        field('ArticleNumber', 'string', { ...readOnly, length: 30, autoNumber: true }),
        field('PublishStatus', 'picklist', {
          ...readOnly,
          picklist: ['Draft', 'Online', 'Archived'],
          defaultPick: 'Draft',
          restrictedPicklist: true,
          nillable: false,
        }),
        field('Language', 'picklist', { picklist: ['en_US', 'ko', 'es'], restrictedPicklist: true }),
        field('IsLatestVersion', 'boolean', { ...readOnly, nillable: false, defaultedOnCreate: true }),
        field('Answer__c', 'textarea', { length: 32000 }),
      ]),
      objectDef(
        'ContentVersion',
        '068',
        [
          field('Title', 'string', {
            length: 255,
            defaultedOnCreate: true,
            nillable: false,
            nameField: true,
          }),
          field('PathOnClient', 'string', { length: 500, updateable: false, nillable: false }),
          field('VersionData', 'base64', { updateable: false, nillable: false }),
          field('FirstPublishLocationId', 'reference', {
            referenceTo: ['Account', 'Contact', 'Case', 'Task'],
            updateable: false,
          }),
          field('ContentDocumentId', 'reference', { ...readOnly, referenceTo: ['ContentDocument'] }),
          field('ContentSize', 'int', readOnly),
        ],
        false,
      ),
      objectDef(
        'ContentDocument',
        '069',
        [
          field('Title', 'string', { length: 255, nameField: true }),
          field('LatestPublishedVersionId', 'reference', { ...readOnly, referenceTo: ['ContentVersion'] }),
        ],
        false,
      ),
      objectDef(
        'ContentDocumentLink',
        '06A',
        [
          field('ContentDocumentId', 'reference', {
            referenceTo: ['ContentDocument'],
            nillable: false,
            updateable: false,
          }),
          field('LinkedEntityId', 'reference', {
            referenceTo: ['Account', 'Contact', 'Case', 'Task'],
            relationshipName: 'LinkedEntity',
            nillable: false,
            updateable: false,
          }),
          field('ShareType', 'picklist', {
            picklist: ['V', 'C', 'I'],
            defaultPick: 'V',
            restrictedPicklist: true,
          }),
        ],
        false,
      ),
    ];
    // ContentDocument rows are created by ContentVersion inserts only (object reference, ContentDocument).
    const contentDocument = defs.find((d) => d.name === 'ContentDocument')!;
    contentDocument.createable = false;
    for (const def of defs) {
      this.objects.set(def.name.toLowerCase(), def);
      this.byPrefix.set(def.keyPrefix, def);
    }
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  objectOfId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }
}

// --- Salesforce ids --------------------------------------------------------------------------------------

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that makes an id case-insensitive: one bit per upper-case letter, per 5 characters. */
function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** key prefix (3) + pod "5g" + reserved "0" + 9 base-62 digits + checksum (3) = 18 characters. */
export function makeSalesforceId(keyPrefix: string, sequence: number): string {
  let body = '';
  let n = sequence;
  do {
    body = BASE62[n % 62] + body;
    n = Math.floor(n / 62);
  } while (n > 0);
  const id15 = `${keyPrefix}5g0${body.padStart(9, '0')}`;
  return id15 + idChecksum(id15);
}

/**
 * The canonical 18-character form of a 15- or 18-character id, or null if the text is not an id. An 18-character
 * id may arrive in the wrong case: the suffix says which letters are upper case.
 */
export function normalizeSalesforceId(value: string): string | null {
  if (/^[a-zA-Z0-9]{15}$/.test(value)) return value + idChecksum(value);
  if (!/^[a-zA-Z0-9]{18}$/.test(value)) return null;
  const suffix = value.slice(15).toUpperCase();
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk]);
    if (bits < 0) return null;
    for (let i = 0; i < 5; i++) {
      const c = value[chunk * 5 + i];
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !/[a-zA-Z]/.test(c)) return null;
      id15 += upper ? c.toUpperCase() : /[A-Z]/.test(c) ? c.toLowerCase() : c;
    }
  }
  return id15 + suffix;
}

// --- dates ------------------------------------------------------------------------------------------------

/** Salesforce writes datetimes as `2026-11-24T10:00:00.000+0000`. */
export function formatSfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function parseSfDateTime(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value))
    return undefined;
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}

export function isValidDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
}

export function formatSfDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
