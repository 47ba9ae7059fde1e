import { SalesforceConfig } from './salesforce.config';
import { SalesforceError } from './salesforce.errors';
import { SalesforceGateway } from './salesforce-gateway';

interface DescribeField {
  name: string;
  createable: boolean;
  updateable: boolean;
  externalId?: boolean;
  picklistValues?: { value: string; active: boolean }[];
}

interface Describe {
  name: string;
  createable: boolean;
  updateable: boolean;
  searchable?: boolean;
  fields: DescribeField[];
}

/** `read`: the field only has to exist and be visible; `search` (objects): SOSL can return it. */
type Need = 'create' | 'update' | 'read';
type ObjectAccess = 'create' | 'update' | 'search';

interface ObjectNeeds {
  object: string;
  /** What the integration user must be able to do with the object itself. */
  access: ObjectAccess;
  fields: Record<string, Need[]>;
  picklists?: Record<string, string[]>;
}

/** Something the org lacks for what we write; `message` is what readiness reports. */
export interface SchemaProblem {
  object: string;
  field?: string;
  kind:
    | 'not_describable'
    | 'object_access'
    | 'field_missing'
    | 'field_access'
    | 'not_external_id'
    | 'picklist_value';
  /** The right that is missing (`create` or `update`) or the picklist value. */
  value?: string;
  message: string;
}

/**
 * Checks at start-up (and from the readiness probe) that the org has what we write, through describe calls.
 * A describe that satisfied every need is cached for the life of the process; one with problems is asked
 * again on the next check, so a fix in the org shows without a restart.
 */
export class SchemaChecker {
  private readonly describes = new Map<string, Promise<Describe>>();

  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly config: SalesforceConfig,
  ) {}

  async check(): Promise<string[]> {
    return (await this.problems()).map((problem) => problem.message);
  }

  async problems(): Promise<SchemaProblem[]> {
    const results = await Promise.all(this.needs().map((needs) => this.checkObject(needs)));
    return results.flat();
  }

  private needs(): ObjectNeeds[] {
    const caseFields: Record<string, Need[]> = {
      Subject: ['create'],
      Description: ['create'],
      Status: ['create'],
      Priority: ['create'],
      Type: ['create'],
      Origin: ['create'],
      ContactId: ['create'],
      AccountId: ['create'],
    };
    const externalId = this.config.caseExternalIdField;
    if (externalId) caseFields[externalId] = ['create', 'update'];
    return [
      {
        object: 'Case',
        access: 'create',
        fields: caseFields,
        picklists: {
          Type: Object.values(this.config.caseTypeMap),
          Priority: [...Object.values(this.config.casePriorityMap), this.config.casePriority],
          Status: [this.config.caseStatus],
          Origin: [this.config.caseOrigin],
        },
      },
      {
        object: 'CaseComment',
        access: 'create',
        fields: { ParentId: ['create'], CommentBody: ['create'], IsPublished: ['create'] },
      },
      {
        object: 'Contact',
        access: 'update',
        fields: Object.fromEntries(
          [
            'Email',
            'Phone',
            'MobilePhone',
            'MailingStreet',
            'MailingCity',
            'MailingState',
            'MailingPostalCode',
            'MailingCountry',
          ].map((name) => [name, ['update'] as Need[]]),
        ),
      },
      {
        object: 'Task',
        access: 'create',
        fields: Object.fromEntries(
          [
            'Subject',
            'Description',
            'Status',
            'TaskSubtype',
            'CallType',
            'CallDurationInSeconds',
            'CallObject',
            'CallDisposition',
            'ActivityDate',
            'WhoId',
            'WhatId',
            ...Object.values(this.config.taskFieldMap),
          ].map((name) => [name, ['create'] as Need[]]),
        ),
        picklists: { Status: ['Completed'], TaskSubtype: ['Call'], CallType: ['Inbound'] },
      },
      {
        object: 'ContentVersion',
        access: 'create',
        fields: {
          Title: ['create'],
          PathOnClient: ['create'],
          VersionData: ['create'],
          FirstPublishLocationId: ['create'],
        },
      },
      ...this.knowledgeNeeds(),
    ];
  }

  /** Salesforce Knowledge, when configured: the article version object, searchable, with its fields. */
  private knowledgeNeeds(): ObjectNeeds[] {
    const { knowledge } = this.config;
    if (!knowledge) return [];
    return [
      {
        object: knowledge.object,
        access: 'search',
        fields: Object.fromEntries(
          ['Title', 'Summary', 'PublishStatus', 'Language', knowledge.answerField].map((name) => [
            name,
            ['read'] as Need[],
          ]),
        ),
      },
    ];
  }

  private async checkObject(needs: ObjectNeeds): Promise<SchemaProblem[]> {
    const { object } = needs;
    let describe: Describe;
    try {
      describe = await this.describe(object);
    } catch (error) {
      const why = error instanceof SalesforceError ? error.message : 'unknown error';
      return [{ object, kind: 'not_describable', message: `${object}: cannot be described (${why})` }];
    }
    const problems: SchemaProblem[] = [];
    const allowed =
      needs.access === 'create'
        ? describe.createable
        : needs.access === 'update'
          ? describe.updateable
          : describe.searchable === true;
    if (!allowed) {
      problems.push({
        object,
        kind: 'object_access',
        value: needs.access,
        message: `${object}: the integration user cannot ${needs.access} records`,
      });
    }
    const byName = new Map(describe.fields.map((field) => [field.name.toLowerCase(), field]));
    for (const [name, wanted] of Object.entries(needs.fields)) {
      const field = byName.get(name.toLowerCase());
      const at = `${object}.${name}`;
      if (!field) {
        problems.push({
          object,
          field: name,
          kind: 'field_missing',
          message: `${at}: field missing or not visible to the integration user`,
        });
        continue;
      }
      for (const need of wanted) {
        if (need === 'read' || (need === 'create' ? field.createable : field.updateable)) continue;
        problems.push({
          object,
          field: name,
          kind: 'field_access',
          value: need,
          message: `${at}: not ${need === 'create' ? 'createable' : 'updateable'}`,
        });
      }
      if (name === this.config.caseExternalIdField && object === 'Case' && !field.externalId) {
        problems.push({
          object,
          field: name,
          kind: 'not_external_id',
          message: `Case.${name}: not marked as External ID (SALESFORCE_CASE_EXTERNAL_ID_FIELD)`,
        });
      }
    }
    for (const [name, values] of Object.entries(needs.picklists ?? {})) {
      const field = byName.get(name.toLowerCase());
      if (!field) continue;
      const active = new Set(
        (field.picklistValues ?? []).filter((value) => value.active).map((value) => value.value),
      );
      for (const value of new Set(values)) {
        if (active.has(value)) continue;
        problems.push({
          object,
          field: name,
          kind: 'picklist_value',
          value,
          message: `${object}.${name}: picklist value "${value}" missing or inactive`,
        });
      }
    }
    // Keep only describes that passed: after an admin fixes the org, the next check must see the change.
    if (problems.length > 0) this.describes.delete(object);
    return problems;
  }

  private describe(object: string): Promise<Describe> {
    let cached = this.describes.get(object);
    if (!cached) {
      cached = this.gateway
        .request<Describe>({
          operation: 'checkSchema.describe',
          method: 'GET',
          path: `/sobjects/${object}/describe`,
          // Rare and needed for readiness: not subject to the background pause.
          priority: 'live',
          idempotent: true,
        })
        .then((response) => response.body);
      // A failed describe is asked again next time; only answers are cached.
      cached.catch(() => this.describes.delete(object));
      this.describes.set(object, cached);
    }
    return cached;
  }
}
