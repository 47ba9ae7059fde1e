import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { NewCallTask, RequestPriority, TaskWriteResult } from './salesforce.types';
import { SalesforceGateway } from './salesforce-gateway';
import { checkedId, SaveResult, SObject } from './salesforce-rows';
import { LONG_TEXT_MAX, SUBJECT_MAX, truncateCharacters } from './salesforce-text';
import { classifySalesforceCode, redactSalesforceMessage } from './salesforce-transport';
import { isSalesforceId, soqlId, soqlString, soqlStringList } from './soql';

const TASK_BATCH_MAX = 200;
/** Keeps `CallObject IN (…)` query URLs well below Salesforce's 16,384-byte URI limit. */
const MAX_ENCODED_IN_LIST = 12_000;

/** The call log after the call: one Task per call (found again by `CallObject`), and its full transcript. */
export class CallLogSection {
  constructor(
    private readonly gateway: SalesforceGateway,
    /** Structured field name → Task field (TASK_FIELD_MAP). */
    private readonly structuredFields: Record<string, string> = {},
  ) {}

  async createCallTasks(
    tasks: NewCallTask[],
    priority: RequestPriority = 'background',
  ): Promise<TaskWriteResult[]> {
    const results: TaskWriteResult[] = [];
    for (let start = 0; start < tasks.length; start += TASK_BATCH_MAX) {
      results.push(...(await this.createTaskBatch(tasks.slice(start, start + TASK_BATCH_MAX), priority)));
    }
    return results;
  }

  /**
   * One `/composite/sobjects` call per 200 Tasks. After an ambiguous failure the retry first asks which call
   * ids already have their Task (`findCallTasks`) and sends only the rest.
   */
  private createTaskBatch(tasks: NewCallTask[], priority: RequestPriority): Promise<TaskWriteResult[]> {
    return this.gateway.retryPolicy.execute(async ({ attempt }) => {
      const invalid = new Map<NewCallTask, TaskWriteResult>();
      for (const task of tasks) {
        const problem = taskProblem(task);
        if (problem)
          invalid.set(task, {
            callId: task.callId,
            ok: false,
            code: 'VALIDATION',
            message: problem,
            retryable: false,
          });
      }
      const logged =
        attempt > 0
          ? await this.findCallTasks(
              tasks.filter((task) => !invalid.has(task)).map((task) => task.callId),
              priority,
            )
          : new Map<string, string>();
      const toSend = tasks.filter((task) => !invalid.has(task) && !logged.has(task.callId));
      const saved = toSend.length > 0 ? await this.sendTasks(toSend, priority) : [];
      const results = new Map<NewCallTask, TaskWriteResult>(invalid);
      toSend.forEach((task, index) => results.set(task, taskResult(task, saved[index])));
      return tasks.map(
        (task) =>
          results.get(task) ?? { callId: task.callId, ok: true as const, id: logged.get(task.callId) ?? '' },
      );
    });
  }

  private async sendTasks(tasks: NewCallTask[], priority: RequestPriority): Promise<SaveResult[]> {
    const response = await this.gateway.request<SaveResult[]>({
      operation: 'createCallTasks',
      method: 'POST',
      path: '/composite/sobjects',
      body: {
        allOrNone: false,
        records: tasks.map((task) => ({
          attributes: { type: 'Task' },
          ...taskFields(task, this.structuredFields),
        })),
      },
      priority,
      idempotent: false,
    });
    return response.body;
  }

  async findCallTasks(
    callIds: string[],
    priority: RequestPriority = 'background',
  ): Promise<Map<string, string>> {
    const wanted = [...new Set(callIds.filter((id) => id.length > 0 && id.length <= 255))];
    const found = new Map<string, string>();
    for (const chunk of urlSizedChunks(wanted)) {
      const rows = await this.gateway.query<SObject & { CallObject: string }>(
        'findCallTasks',
        `SELECT Id, CallObject FROM Task WHERE CallObject IN ${soqlStringList(chunk)}`,
        priority,
      );
      for (const row of rows) found.set(row.CallObject, row.Id);
    }
    return found;
  }

  /**
   * A ContentVersion published to the Task, and its ContentDocumentId read back, in one `/composite` call.
   * Retried only after looking for a version already published to that Task under that title.
   */
  attachTranscript(
    taskId: string,
    title: string,
    content: string,
    priority: RequestPriority = 'background',
  ): Promise<{ contentDocumentId: string }> {
    const parentId = checkedId(taskId, 'taskId');
    const cleanTitle = truncateCharacters(title.trim() || 'Call transcript', SUBJECT_MAX);
    return this.gateway.retryPolicy.execute(async ({ attempt }) => {
      if (attempt > 0) {
        const rows = await this.gateway.query<SObject & { ContentDocumentId: string }>(
          'attachTranscript.find',
          `SELECT Id, ContentDocumentId FROM ContentVersion WHERE FirstPublishLocationId = ${soqlId(parentId)} ` +
            `AND Title = ${soqlString(cleanTitle)} LIMIT 1`,
          priority,
        );
        if (rows[0]) return { contentDocumentId: rows[0].ContentDocumentId };
      }
      const [, read] = await this.gateway.composite(
        'attachTranscript',
        [
          {
            method: 'POST',
            path: '/sobjects/ContentVersion',
            referenceId: 'refVersion',
            body: {
              Title: cleanTitle,
              PathOnClient: `${cleanTitle.replace(/[^\w.-]+/g, '_').slice(0, 200)}.txt`,
              VersionData: Buffer.from(content, 'utf8').toString('base64'),
              FirstPublishLocationId: parentId,
            },
          },
          {
            method: 'GET',
            path: '/sobjects/ContentVersion/@{refVersion.id}?fields=ContentDocumentId',
            referenceId: 'refDocument',
          },
        ],
        { priority, allOrNone: true, idempotent: false },
      );
      const contentDocumentId = (read.body as { ContentDocumentId?: string }).ContentDocumentId;
      if (!contentDocumentId) {
        throw new SalesforceError(
          SalesforceErrorCode.UNKNOWN,
          'Salesforce attachTranscript: no ContentDocumentId',
          false,
        );
      }
      return { contentDocumentId };
    });
  }
}

/** Splits values so that each encoded `IN (…)` list stays under MAX_ENCODED_IN_LIST (200 UUIDs fit in one). */
function urlSizedChunks(values: string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const value of values) {
    const encoded = encodeURIComponent(soqlString(value)).length + 6;
    if (current.length > 0 && size + encoded > MAX_ENCODED_IN_LIST) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(value);
    size += encoded;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function taskProblem(task: NewCallTask): string | undefined {
  if (!task.callId || task.callId.length > 255) return 'callId must be 1–255 characters';
  if (task.whoId && !isSalesforceId(task.whoId)) return 'whoId is not a Salesforce record id';
  if (task.whatId && !isSalesforceId(task.whatId)) return 'whatId is not a Salesforce record id';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(task.activityDate)) return 'activityDate must be YYYY-MM-DD';
  return undefined;
}

/** Task fields: docs/salesforce.md, "The call log Task". */
function taskFields(task: NewCallTask, structuredFields: Record<string, string>): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    Subject: truncateCharacters(task.subject, SUBJECT_MAX),
    Description: truncateCharacters(task.description, LONG_TEXT_MAX),
    TaskSubtype: 'Call',
    CallType: 'Inbound',
    CallObject: task.callId,
    Status: 'Completed',
    ActivityDate: task.activityDate,
  };
  if (task.durationSeconds !== undefined)
    fields.CallDurationInSeconds = Math.max(0, Math.round(task.durationSeconds));
  if (task.disposition) fields.CallDisposition = truncateCharacters(task.disposition, 255);
  if (task.whoId) fields.WhoId = task.whoId;
  if (task.whatId) fields.WhatId = task.whatId;
  // Only the configured names, onto the configured fields; text as Salesforce's short text allows.
  for (const [name, field] of Object.entries(structuredFields)) {
    const value = task.structured?.[name];
    if (value === undefined) continue;
    fields[field] = typeof value === 'string' ? truncateCharacters(value, SUBJECT_MAX) : value;
  }
  return fields;
}

function taskResult(task: NewCallTask, saved: SaveResult | undefined): TaskWriteResult {
  if (saved?.success && saved.id) return { callId: task.callId, ok: true, id: saved.id };
  const entry = saved?.errors[0];
  const code = entry?.statusCode ?? entry?.errorCode ?? 'UNKNOWN';
  return {
    callId: task.callId,
    ok: false,
    code,
    message: redactSalesforceMessage(entry?.message) || 'no result for this record',
    retryable: classifySalesforceCode(code, 400)[1],
  };
}
