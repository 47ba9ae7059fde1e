import { allowsDuplicateSave } from './fake-duplicate-rules';
import { badRequest, notFound, SfApiError, sfError } from './fake-errors';
import { normalizeSalesforceId, ObjectDef } from './fake-schema';
import { FakeStore, recordUrl, StoredRecord, WriteContext } from './fake-store';
import { SoqlEngine } from './soql-engine';
import { SoslEngine } from './sosl-parser';

/**
 * The data API under `/services/data/vXX.X` (reference §2): sObject CRUD and upsert, describe, query, search,
 * `/composite` and `/composite/sobjects`. Handlers are synchronous, so a composite request runs as one atomic
 * step with respect to other requests.
 */

export type RouteKind =
  | 'query'
  | 'search'
  | 'sobject-create'
  | 'sobject-read'
  | 'sobject-update'
  | 'sobject-upsert'
  | 'sobject-delete'
  | 'describe'
  | 'composite'
  | 'composite-sobjects'
  | 'limits'
  | 'other';

export const ROUTE_KINDS: RouteKind[] = [
  'query',
  'search',
  'sobject-create',
  'sobject-read',
  'sobject-update',
  'sobject-upsert',
  'sobject-delete',
  'describe',
  'composite',
  'composite-sobjects',
  'limits',
  'other',
];

export interface ApiRequest {
  method: string;
  /** Path after `/services/data/vXX.X`, e.g. `/sobjects/Case/500…`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
  apiVersion: string;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (ContentVersion VersionData). */
  raw?: Buffer;
}

interface SubrequestResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

/** "At most 25 subrequests" (reference §2.4); "up to 200 records" (§2.5). */
const MAX_SUBREQUESTS = 25;
const MAX_QUERIES_AND_COLLECTIONS = 5;
const MAX_COLLECTION_RECORDS = 200;
const HALTED_MESSAGE =
  'The transaction was rolled back since another operation in the same transaction failed.';
const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

export function classifyRoute(method: string, path: string): RouteKind {
  const [head, second, third, fourth] = segmentsOf(path);
  switch (head) {
    case 'query':
    case 'queryAll':
      return 'query';
    case 'search':
      return 'search';
    case 'limits':
      return 'limits';
    case 'composite':
      return second === 'sobjects' ? 'composite-sobjects' : second === undefined ? 'composite' : 'other';
    case 'sobjects':
      if (second === undefined) return 'describe';
      if (third === undefined) return method === 'POST' ? 'sobject-create' : 'describe';
      if (third === 'describe') return 'describe';
      if (fourth !== undefined && method === 'PATCH') return 'sobject-upsert';
      return method === 'PATCH' ? 'sobject-update' : method === 'DELETE' ? 'sobject-delete' : 'sobject-read';
    default:
      return 'other';
  }
}

export function isWrite(method: string): boolean {
  return method === 'POST' || method === 'PATCH' || method === 'PUT' || method === 'DELETE';
}

function methodNotAllowed(method: string, allowed: string): SfApiError {
  return sfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
}

export class DataApi {
  constructor(
    private readonly store: FakeStore,
    private readonly soql: SoqlEngine,
    private readonly sosl: SoslEngine,
    private readonly usage: () => { used: number; limit: number },
  ) {}

  dispatch(request: ApiRequest, nested = false): ApiResponse {
    try {
      return this.route(request, nested);
    } catch (error) {
      if (error instanceof SfApiError) return { status: error.status, body: error.items };
      throw error;
    }
  }

  private route(request: ApiRequest, nested: boolean): ApiResponse {
    const { method } = request;
    const [head, second, third, fourth, fifth] = segmentsOf(request.path);
    switch (head) {
      case 'query':
      case 'queryAll': {
        if (method !== 'GET') throw methodNotAllowed(method, 'GET');
        const q = request.query.get('q');
        if (!q) throw badRequest('MALFORMED_QUERY', 'A query string has to be specified');
        return { status: 200, body: this.soql.query(q, request.apiVersion) };
      }
      case 'search': {
        // `/composite` runs sObject, Query, QueryAll and sObject Collections subrequests, not Search
        // (REST API Developer Guide, "Composite"); only `/composite/batch` lists Search.
        if (nested) throw notFound();
        if (method !== 'GET') throw methodNotAllowed(method, 'GET');
        const q = request.query.get('q');
        if (!q) throw badRequest('MALFORMED_SEARCH', 'No search term found');
        return { status: 200, body: this.sosl.search(q, request.apiVersion) };
      }
      case 'limits': {
        const { used, limit } = this.usage();
        return {
          status: 200,
          body: { DailyApiRequests: { Max: limit, Remaining: Math.max(limit - used, 0) } },
        };
      }
      case 'composite':
        if (method !== 'POST') throw methodNotAllowed(method, 'POST');
        if (second === 'sobjects' && third === undefined) return this.collectionCreate(request);
        if (second === undefined && !nested) return this.composite(request);
        throw notFound();
      case 'sobjects':
        if (fifth !== undefined) throw notFound();
        return this.sobjects(request, second, third, fourth);
      case undefined: {
        // The version's root lists its resources (REST API Developer Guide, "Resources by Version").
        if (method !== 'GET') throw methodNotAllowed(method, 'GET');
        const base = `/services/data/v${request.apiVersion}`;
        const resources = ['sobjects', 'query', 'queryAll', 'search', 'composite', 'limits'];
        return { status: 200, body: Object.fromEntries(resources.map((name) => [name, `${base}/${name}`])) };
      }
      default:
        throw notFound();
    }
  }

  private writeContext(request: ApiRequest): WriteContext {
    // `Sforce-Auto-Assign: FALSE` turns assignment rules off; TRUE or a rule id keeps them (reference §2.3).
    const header = request.headers['sforce-auto-assign'];
    return {
      apiVersion: request.apiVersion,
      autoAssign: header?.trim().toUpperCase() !== 'FALSE',
      allowDuplicateSave: allowsDuplicateSave(request.headers['sforce-duplicate-rule-header']),
    };
  }

  private sobjects(request: ApiRequest, type?: string, second?: string, third?: string): ApiResponse {
    const { method } = request;
    if (type === undefined) {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return { status: 200, body: this.globalDescribe(request.apiVersion) };
    }
    const def = this.store.objectDef(type);
    if (second === undefined) {
      if (method === 'POST') {
        const id = this.store.create(def.name, request.body, this.writeContext(request));
        return {
          status: 201,
          body: { id, success: true, errors: [] },
          headers: { Location: recordUrl(request.apiVersion, def.name, id) },
        };
      }
      if (method !== 'GET') throw methodNotAllowed(method, 'GET, POST');
      return {
        status: 200,
        body: { objectDescribe: this.describeObject(def, request.apiVersion, false), recentItems: [] },
      };
    }
    if (second === 'describe' && third === undefined) {
      if (method !== 'GET') throw methodNotAllowed(method, 'GET');
      return { status: 200, body: this.describeObject(def, request.apiVersion, true) };
    }
    if (third !== undefined) {
      if (def.name === 'ContentVersion' && third === 'VersionData' && method === 'GET') {
        const record = this.store.get(def.name, second);
        if (!record?.blob) throw notFound();
        return { status: 200, raw: record.blob, headers: { 'Content-Type': 'application/octet-stream' } };
      }
      return this.byExternalId(request, def, second, third);
    }
    const id = normalizeSalesforceId(second);
    const record = id && id.startsWith(def.keyPrefix) ? this.store.get(def.name, id) : undefined;
    switch (method) {
      case 'GET':
        if (!record) throw this.missing(second);
        return { status: 200, body: this.recordBody(record, def, request) };
      case 'PATCH':
        if (!record) throw this.missing(second);
        this.store.update(def.name, record.id, request.body, this.writeContext(request));
        return { status: 204 };
      case 'DELETE':
        if (!record) throw this.missing(second);
        this.store.delete(def.name, record.id);
        return { status: 204 };
      default:
        throw methodNotAllowed(method, 'GET, PATCH, DELETE');
    }
  }

  private missing(segment: string): SfApiError {
    // A segment that is not an id is read as an external id field name (REST API, sObject Rows).
    return normalizeSalesforceId(segment)
      ? notFound()
      : notFound(`Provided external ID field does not exist or is not accessible: ${segment}`);
  }

  private byExternalId(request: ApiRequest, def: ObjectDef, fieldName: string, value: string): ApiResponse {
    const field = def.fieldMap.get(fieldName.toLowerCase());
    if (!field?.externalId) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
    }
    switch (request.method) {
      case 'PATCH': {
        const { id, created } = this.store.upsert(
          def.name,
          field.name,
          value,
          request.body,
          this.writeContext(request),
        );
        // Upsert: 201 when it created, 200 when it updated (wire contract; reference §2.7).
        return { status: created ? 201 : 200, body: { id, success: true, errors: [], created } };
      }
      case 'GET': {
        const record = this.store.findByExternalId(def, field, value);
        if (!record) throw notFound();
        return { status: 200, body: this.recordBody(record, def, request) };
      }
      case 'DELETE': {
        const record = this.store.findByExternalId(def, field, value);
        if (!record) throw notFound();
        this.store.delete(def.name, record.id);
        return { status: 204 };
      }
      default:
        throw methodNotAllowed(request.method, 'GET, PATCH, DELETE');
    }
  }

  private recordBody(record: StoredRecord, def: ObjectDef, request: ApiRequest): Record<string, unknown> {
    const wanted = request.query.get('fields');
    const fields = wanted
      ? wanted.split(',').map((name) => {
          const field = def.fieldMap.get(name.trim().toLowerCase());
          if (!field)
            throw badRequest('INVALID_FIELD', `No such column '${name.trim()}' on entity '${def.name}'`);
          return field;
        })
      : def.fields;
    const body: Record<string, unknown> = {
      attributes: { type: def.name, url: recordUrl(request.apiVersion, def.name, record.id) },
    };
    for (const field of fields) body[field.name] = record.fields[field.name] ?? null;
    return body;
  }

  private globalDescribe(apiVersion: string): unknown {
    return {
      encoding: 'UTF-8',
      maxBatchSize: MAX_COLLECTION_RECORDS,
      sobjects: [...this.store.schema.objects.values()].map((def) =>
        this.describeObject(def, apiVersion, false),
      ),
    };
  }

  describeObject(def: ObjectDef, apiVersion: string, withFields: boolean): Record<string, unknown> {
    const base = `/services/data/v${apiVersion}/sobjects/${def.name}`;
    const summary: Record<string, unknown> = {
      name: def.name,
      label: def.label,
      keyPrefix: def.keyPrefix,
      custom: false,
      createable: def.createable,
      updateable: def.updateable && def.name !== 'ContentDocumentLink',
      deletable: def.deletable,
      queryable: true,
      searchable: def.searchable,
      urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
    };
    if (!withFields) return summary;
    return {
      ...summary,
      fields: def.fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        length: f.length,
        byteLength: f.limitInBytes ? f.length : f.length * 3,
        createable: f.createable,
        updateable: f.updateable,
        filterable: f.filterable,
        sortable: f.sortable,
        externalId: f.externalId,
        unique: f.unique,
        idLookup: f.idLookup,
        nillable: f.nillable,
        defaultedOnCreate: f.defaultedOnCreate,
        calculated: f.calculated,
        autoNumber: f.autoNumber,
        custom: f.custom,
        caseSensitive: false,
        restrictedPicklist: f.restrictedPicklist,
        picklistValues: f.picklistValues,
        referenceTo: f.referenceTo,
        relationshipName: f.relationshipName,
        extraTypeInfo: f.type === 'textarea' ? 'plaintextarea' : null,
      })),
    };
  }

  // --- /composite/sobjects -------------------------------------------------------------------------------

  private collectionCreate(request: ApiRequest): ApiResponse {
    const body = request.body as { allOrNone?: unknown; records?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.records)) {
      throw badRequest('JSON_PARSER_ERROR', 'The request body must contain a records array');
    }
    const records: unknown[] = body.records;
    if (records.length > MAX_COLLECTION_RECORDS) {
      throw badRequest(
        'EXCEEDED_ID_LIMIT',
        `record limit reached. cannot submit more than ${MAX_COLLECTION_RECORDS} records into this call`,
      );
    }
    const allOrNone = body.allOrNone === true;
    const context = this.writeContext(request);
    const results = this.store.transaction(() => {
      const saved = records.map((item) => {
        try {
          const { attributes, ...fields } = (typeof item === 'object' && item !== null ? item : {}) as {
            attributes?: { type?: unknown };
          };
          if (typeof attributes?.type !== 'string') {
            throw badRequest('INVALID_TYPE', 'Must specify a type in the attributes of each record');
          }
          return {
            id: this.store.create(attributes.type, fields, context),
            success: true,
            errors: [] as unknown[],
          };
        } catch (error) {
          if (!(error instanceof SfApiError)) throw error;
          return { success: false, errors: error.toCollectionErrors() };
        }
      });
      const failed = saved.some((r) => !r.success);
      if (!allOrNone || !failed) return { keep: true, value: saved };
      const rolledBack = saved.map((r) =>
        r.success
          ? {
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            }
          : r,
      );
      return { keep: false, value: rolledBack };
    });
    return { status: 200, body: results };
  }

  // --- /composite ----------------------------------------------------------------------------------------

  private composite(request: ApiRequest): ApiResponse {
    const body = request.body as { allOrNone?: unknown; compositeRequest?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.compositeRequest)) {
      throw badRequest('JSON_PARSER_ERROR', 'The request body must contain a compositeRequest array');
    }
    const subrequests = body.compositeRequest as unknown[];
    if (subrequests.length === 0 || subrequests.length > MAX_SUBREQUESTS) {
      throw badRequest(
        'INVALID_API_INPUT',
        `A composite request must have 1 to ${MAX_SUBREQUESTS} subrequests`,
      );
    }
    const seen = new Set<string>();
    const parsed = subrequests.map((raw) => {
      const sub = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const { method, url, referenceId, httpHeaders } = sub;
      if (typeof method !== 'string' || typeof url !== 'string' || typeof referenceId !== 'string') {
        throw badRequest('INVALID_API_INPUT', 'Each subrequest needs method, url and referenceId');
      }
      if (!/^[A-Za-z0-9_]+$/.test(referenceId) || seen.has(referenceId)) {
        throw badRequest('INVALID_API_INPUT', `Invalid or duplicate referenceId: ${referenceId}`);
      }
      seen.add(referenceId);
      const headers = (typeof httpHeaders === 'object' && httpHeaders !== null ? httpHeaders : {}) as Record<
        string,
        unknown
      >;
      // Subrequests may not set these headers (reference §2.4).
      if (
        Object.keys(headers).some((h) =>
          ['accept', 'authorization', 'content-type'].includes(h.toLowerCase()),
        )
      ) {
        throw badRequest(
          'INVALID_API_INPUT',
          'Subrequests may not set Accept, Authorization or Content-Type',
        );
      }
      return { method: method.toUpperCase(), url, referenceId, body: sub.body, headers };
    });
    // "Up to 5 of the 25 may be sObject Collections or query operations" (reference §2.4).
    const queriesAndCollections = parsed.filter((sub) =>
      /^\/services\/data\/v[\d.]+\/(?:query|queryAll|composite\/sobjects)\b/.test(sub.url),
    ).length;
    if (queriesAndCollections > MAX_QUERIES_AND_COLLECTIONS) {
      throw badRequest(
        'INVALID_API_INPUT',
        `A composite request may hold at most ${MAX_QUERIES_AND_COLLECTIONS} query or sObject Collections subrequests`,
      );
    }
    const allOrNone = body.allOrNone === true;
    const results = this.store.transaction(() => {
      const done = new Map<string, SubrequestResult>();
      const out: SubrequestResult[] = [];
      let failed = false;
      for (const sub of parsed) {
        if (allOrNone && failed) {
          out.push(this.halted(sub.referenceId, HALTED_MESSAGE));
          continue;
        }
        const result = this.runSubrequest(sub, done, request);
        done.set(sub.referenceId, result);
        out.push(result);
        if (result.httpStatusCode >= 400) failed = true;
      }
      if (!allOrNone || !failed) return { keep: true, value: out };
      // Everything is rolled back; successful subrequests are reported as halted.
      return {
        keep: false,
        value: out.map((r) => (r.httpStatusCode < 400 ? this.halted(r.referenceId, HALTED_MESSAGE) : r)),
      };
    });
    return { status: 200, body: { compositeResponse: results } };
  }

  private halted(referenceId: string, message: string): SubrequestResult {
    return {
      body: [{ errorCode: 'PROCESSING_HALTED', message }],
      httpHeaders: {},
      httpStatusCode: 400,
      referenceId,
    };
  }

  private runSubrequest(
    sub: {
      method: string;
      url: string;
      referenceId: string;
      body: unknown;
      headers: Record<string, unknown>;
    },
    done: Map<string, SubrequestResult>,
    parent: ApiRequest,
  ): SubrequestResult {
    let url: string;
    let body: unknown;
    try {
      url = this.substitute(sub.url, done) as string;
      body = this.substitute(sub.body, done);
    } catch (error) {
      if (error instanceof SfApiError) return this.halted(sub.referenceId, error.items[0].message);
      throw error;
    }
    const match = /^\/services\/data\/v(\d+\.\d+)(\/[^?]*)(?:\?(.*))?$/.exec(url);
    if (!match) {
      return { body: notFound().items, httpHeaders: {}, httpStatusCode: 404, referenceId: sub.referenceId };
    }
    const headers: Record<string, string | undefined> = { ...parent.headers };
    for (const [name, value] of Object.entries(sub.headers)) headers[name.toLowerCase()] = String(value);
    const response = this.dispatch(
      {
        method: sub.method,
        path: match[2],
        query: new URLSearchParams(match[3] ?? ''),
        body,
        headers,
        apiVersion: match[1],
      },
      true,
    );
    return {
      body: response.body ?? null,
      httpHeaders: response.headers ?? {},
      httpStatusCode: response.status,
      referenceId: sub.referenceId,
    };
  }

  /** Replaces `@{ref.path}` in strings (recursively through the body) with values from earlier results. */
  private substitute(value: unknown, done: Map<string, SubrequestResult>): unknown {
    if (typeof value === 'string') {
      const whole = new RegExp(`^${REFERENCE.source}$`).exec(value);
      if (whole) return this.lookup(whole[1], whole[2], done);
      return value.replace(REFERENCE, (_all, ref: string, path: string) =>
        String(this.lookup(ref, path, done)),
      );
    }
    if (Array.isArray(value)) return value.map((item) => this.substitute(item, done));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.substitute(v, done)]));
    }
    return value;
  }

  private lookup(ref: string, path: string, done: Map<string, SubrequestResult>): unknown {
    const expression = `${ref}${path}`;
    const source = done.get(ref);
    const invalid = () =>
      badRequest(
        'PROCESSING_HALTED',
        `Invalid reference specified. No value for ${expression} found in ${ref}.`,
      );
    if (!source || source.httpStatusCode >= 400) throw invalid();
    let current: unknown = source.body;
    for (const step of path.match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? []) {
      const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step.slice(1);
      if (typeof current !== 'object' || current === null) throw invalid();
      current = (current as Record<string | number, unknown>)[key];
    }
    if (current === undefined || current === null || typeof current === 'object') throw invalid();
    return current;
  }
}
