import { fail, pass, SetupCheckResult, skip } from '../common/setup-check';
import { SalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { CallerLookupSection } from './salesforce-caller-lookup.section';
import { SalesforceGateway } from './salesforce-gateway';
import { SchemaChecker, SchemaProblem } from './salesforce-schema.checker';

/** The variable that maps our value to each picklist we write, or undefined for the values we always write. */
const PICKLIST_VARIABLES: Record<string, string> = {
  'Case.Type': 'SALESFORCE_CASE_TYPE_MAP',
  'Case.Priority': 'SALESFORCE_CASE_PRIORITY_MAP and SALESFORCE_CASE_PRIORITY',
  'Case.Status': 'SALESFORCE_CASE_STATUS',
  'Case.Origin': 'SALESFORCE_CASE_ORIGIN',
};

function fixFor(problem: SchemaProblem, config: SalesforceConfig): string {
  const at = problem.field ? `${problem.object}.${problem.field}` : problem.object;
  switch (problem.kind) {
    case 'not_describable':
      return problem.object === config.knowledge?.object
        ? `enable Lightning Knowledge and give the integration user the Knowledge User license and "View Articles", or fix KNOWLEDGE_OBJECT`
        : `give the integration user's permission set Read on ${problem.object}`;
    case 'object_access':
      if (problem.value === 'search') {
        return `give the integration user Read on ${problem.object} ("View Articles"), so SOSL can return its articles`;
      }
      return `give the integration user's permission set ${problem.value === 'create' ? 'Create' : 'Edit'} on ${problem.object}`;
    case 'field_missing':
      return problem.field === config.caseExternalIdField
        ? `create the field on Case (text, unique, External ID) or unset SALESFORCE_CASE_EXTERNAL_ID_FIELD`
        : problem.field === config.knowledge?.answerField
          ? `create ${at} on the article type, or set KNOWLEDGE_ANSWER_FIELD to the field holding the answer (or unset it to turn Knowledge off)`
          : `make ${at} visible to the integration user (Field-Level Security in its permission set)`;
    case 'field_access':
      return `give the permission set Edit access to ${at} (Field-Level Security)`;
    case 'not_external_id':
      return `mark ${at} as Unique and External ID, or unset SALESFORCE_CASE_EXTERNAL_ID_FIELD`;
    case 'picklist_value': {
      const variable = PICKLIST_VARIABLES[at];
      const where = `Setup → Object Manager → ${problem.object} → Fields & Relationships → ${problem.field}`;
      return variable
        ? `add the active value "${problem.value}" in ${where}, or set ${variable} to values the org has`
        : `add the active value "${problem.value}" in ${where} (the service always writes it)`;
    }
  }
}

const CALLER_CHECK = 'the caller given with --caller';

/** A check whose request failed: the failure, as Salesforce said it. */
async function guarded(check: string, run: () => Promise<SetupCheckResult>): Promise<SetupCheckResult> {
  try {
    return await run();
  } catch (error) {
    const message = error instanceof SalesforceError ? error.message : 'unknown error';
    return fail(check, message, "give the integration user's permission set Read on Contact and Account");
  }
}

/**
 * Checks a configuration against the org, step by step, each with a fix: a token for the configured flow, the
 * API version, the objects, fields, rights and picklist values we write, and that the integration user sees
 * Contacts at all (without record visibility every caller is silently "unknown"). `npm run doctor` prints the
 * results; the service logs them once at start-up.
 */
export class SetupCheckSection {
  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly config: SalesforceConfig,
    private readonly schema: SchemaChecker,
    private readonly callers: CallerLookupSection,
  ) {}

  async run(options: { callerPhone?: string } = {}): Promise<SetupCheckResult[]> {
    const { authFlow, loginUrl, apiVersion } = this.config;
    const token = `token (${authFlow} at ${loginUrl})`;
    const version = `API version ${apiVersion}`;
    try {
      await this.gateway.request({
        operation: 'checkSetup.version',
        method: 'GET',
        path: '/',
        priority: 'live',
        idempotent: true,
      });
    } catch (error) {
      const why = error instanceof SalesforceError ? error : undefined;
      const message = why?.message ?? 'unknown error';
      if (this.gateway.tokenStatus().state === 'failed' || why?.code === SalesforceErrorCode.AUTH_FAILED) {
        const fixed =
          why?.fix ??
          `check SALESFORCE_LOGIN_URL (${authFlow === 'client_credentials' ? 'your My Domain' : 'login, test or My Domain'}) and that Salesforce is reachable`;
        return [fail(token, message, fixed), skip('the org', 'not checked without a token')];
      }
      if (why?.code === SalesforceErrorCode.NOT_FOUND || why?.status === 410) {
        return [
          pass(token),
          fail(version, message, 'set SALESFORCE_API_VERSION to a version the org lists at /services/data/'),
          skip('the org', 'not checked without a usable API version'),
        ];
      }
      return [pass(token), fail(version, message, 'try again; if it persists, check Salesforce status')];
    }
    const caller = options.callerPhone;
    return [
      pass(token),
      pass(version),
      ...(await this.schemaResults()),
      await guarded('Contacts visible to the integration user', () => this.contactsVisible()),
      ...(caller ? [await guarded(CALLER_CHECK, () => this.callerRecognised(caller))] : []),
    ];
  }

  private async schemaResults(): Promise<SetupCheckResult[]> {
    const problems = await this.schema.problems();
    if (problems.length === 0) {
      return [
        pass(
          'objects, fields, rights and picklist values we write',
          `Case, CaseComment and Task created, Contact updated, ContentVersion created${
            this.config.knowledge ? `, ${this.config.knowledge.object} searched` : ''
          }`,
        ),
      ];
    }
    return problems.map((problem) => {
      const at = problem.field ? `${problem.object}.${problem.field}` : problem.object;
      // The message leads with the same name, for readiness; here the check already says it.
      const detail = problem.message.startsWith(`${at}: `)
        ? problem.message.slice(at.length + 2)
        : problem.message;
      return fail(at, detail, fixFor(problem, this.config));
    });
  }

  private async contactsVisible(): Promise<SetupCheckResult> {
    const check = 'Contacts visible to the integration user';
    const found = await this.gateway.query<{ Id: string }>(
      'checkSetup.contacts',
      'SELECT Id FROM Contact WHERE Phone != null OR MobilePhone != null LIMIT 1',
      'live',
    );
    return found.length > 0
      ? pass(check, 'at least one Contact with a phone number')
      : fail(
          check,
          'the integration user sees no Contact with a phone number: every caller would be "unknown"',
          'give the integration user read access to Contacts: sharing settings (org-wide default), a sharing rule, or "View All" on Contact in its permission set',
        );
  }

  private async callerRecognised(phoneE164: string): Promise<SetupCheckResult> {
    const check = CALLER_CHECK;
    const match = await this.callers.findCallerByPhone(phoneE164, 'live');
    switch (match.kind) {
      case 'identified':
        return pass(check, 'recognised as one Contact');
      case 'account':
        return fail(
          check,
          'matches an Account phone but no Contact',
          'put the number on the Contact (Phone or MobilePhone)',
        );
      case 'ambiguous':
        return fail(
          check,
          `matches ${match.candidates} Contacts: the service recognises only a unique match`,
          'keep the number on one Contact',
        );
      case 'unidentified':
        return fail(
          check,
          'not recognised: no Contact or Account with that number is visible to the integration user',
          'check the number on the Contact and that the integration user can read that Contact (sharing)',
        );
    }
  }
}
