import { PhoneNumbers } from '../common/phone-numbers';
import type { SetupCheckResult } from '../common/setup-check';
import { SalesforceClient } from './salesforce.client';
import { SalesforceConfig } from './salesforce.config';
import {
  AccountRef,
  ApiUsage,
  CallerMatch,
  CallerWithOpenCases,
  CaseOwner,
  CaseRecord,
  ContactUpdate,
  CreatedCase,
  KnowledgeArticle,
  NewCallTask,
  NewCase,
  RequestPriority,
  TaskWriteResult,
  TokenStatus,
} from './salesforce.types';
import { CallLogSection } from './salesforce-call-log.section';
import { CallerLookupSection } from './salesforce-caller-lookup.section';
import { CaseSection } from './salesforce-case.section';
import { ContactSection } from './salesforce-contact.section';
import { SalesforceGateway } from './salesforce-gateway';
import { KnowledgeSection } from './salesforce-knowledge.section';
import { SchemaChecker } from './salesforce-schema.checker';
import { SetupCheckSection } from './salesforce-setup.check';

/**
 * The `SalesforceClient` port over the REST API (undici, no SDK: see docs/salesforce.md, "Why no SDK"). Each
 * method hands over to the section that owns it; all sections send through one gateway, so they share one
 * token, one request budget and one set of metrics. Built by `createSalesforceClient`.
 */
export class SalesforceRestClient extends SalesforceClient {
  private readonly callers: CallerLookupSection;
  private readonly cases: CaseSection;
  private readonly contacts: ContactSection;
  private readonly callLog: CallLogSection;
  private readonly knowledge: KnowledgeSection;
  private readonly schema: SchemaChecker;
  private readonly setup: SetupCheckSection;

  constructor(
    private readonly gateway: SalesforceGateway,
    config: SalesforceConfig,
    phones: PhoneNumbers,
    now: () => number = Date.now,
  ) {
    super();
    this.callers = new CallerLookupSection(gateway, phones);
    this.cases = new CaseSection(gateway, config, now);
    this.contacts = new ContactSection(gateway, phones);
    this.callLog = new CallLogSection(gateway, config.taskFieldMap);
    this.knowledge = new KnowledgeSection(gateway, config);
    this.schema = new SchemaChecker(gateway, config);
    this.setup = new SetupCheckSection(gateway, config, this.schema, this.callers);
  }

  findCallerByPhone(phoneE164: string, priority?: RequestPriority): Promise<CallerMatch> {
    return this.callers.findCallerByPhone(phoneE164, priority);
  }

  findCallerWithOpenCases(
    phoneE164: string,
    openCaseLimit: number,
    priority?: RequestPriority,
  ): Promise<CallerWithOpenCases> {
    return this.callers.findCallerWithOpenCases(phoneE164, openCaseLimit, priority);
  }

  findAccountByNumber(accountNumber: string, priority?: RequestPriority): Promise<AccountRef | null> {
    return this.callers.findAccountByNumber(accountNumber, priority);
  }

  getCaseByNumber(caseNumber: string, priority?: RequestPriority): Promise<CaseRecord | null> {
    return this.cases.getCaseByNumber(caseNumber, priority);
  }

  listOpenCases(owner: CaseOwner, limit: number, priority?: RequestPriority): Promise<CaseRecord[]> {
    return this.cases.listOpenCases(owner, limit, priority);
  }

  createCase(input: NewCase, priority?: RequestPriority): Promise<CreatedCase> {
    return this.cases.createCase(input, priority);
  }

  findCaseByIdempotencyKey(
    idempotencyKey: string,
    priority?: RequestPriority,
    owner?: CaseOwner,
  ): Promise<CreatedCase | null> {
    return this.cases.findCaseByIdempotencyKey(idempotencyKey, priority, owner);
  }

  addCaseComment(caseId: string, body: string, priority?: RequestPriority): Promise<{ id: string }> {
    return this.cases.addCaseComment(caseId, body, priority);
  }

  findCaseComment(caseId: string, body: string, priority?: RequestPriority): Promise<{ id: string } | null> {
    return this.cases.findCaseComment(caseId, body, priority);
  }

  updateContact(contactId: string, fields: ContactUpdate, priority?: RequestPriority): Promise<void> {
    return this.contacts.updateContact(contactId, fields, priority);
  }

  createCallTasks(tasks: NewCallTask[], priority?: RequestPriority): Promise<TaskWriteResult[]> {
    return this.callLog.createCallTasks(tasks, priority);
  }

  findCallTasks(callIds: string[], priority?: RequestPriority): Promise<Map<string, string>> {
    return this.callLog.findCallTasks(callIds, priority);
  }

  attachTranscript(
    taskId: string,
    title: string,
    content: string,
    priority?: RequestPriority,
  ): Promise<{ contentDocumentId: string }> {
    return this.callLog.attachTranscript(taskId, title, content, priority);
  }

  knowledgeConfigured(): boolean {
    return this.knowledge.configured;
  }

  searchKnowledge(
    question: string,
    options: { limit: number; language: string; priority?: RequestPriority },
  ): Promise<KnowledgeArticle[]> {
    return this.knowledge.searchKnowledge(question, options);
  }

  async probe(): Promise<void> {
    await this.gateway.request<unknown>({
      operation: 'probe',
      method: 'GET',
      path: '/limits',
      priority: 'live',
      idempotent: true,
    });
    // Salesforce answers, but the outbox's requests would still be refused while usage is above the ceiling.
    this.gateway.assertBackgroundAllowed();
  }

  tokenStatus(): TokenStatus {
    return this.gateway.tokenStatus();
  }

  apiUsage(): ApiUsage | undefined {
    return this.gateway.apiUsage();
  }

  checkSchema(): Promise<string[]> {
    return this.schema.check();
  }

  checkSetup(options?: { callerPhone?: string }): Promise<SetupCheckResult[]> {
    return this.setup.run(options);
  }
}
