import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import type { SalesforceFakeStats } from '../../test/fakes/salesforce/salesforce-fake';
import { sleep } from '../processes';
import type { Expectation, Expected } from './simulator';
import { formatTable, getJson } from './support';
import type { World } from './world';

/**
 * What the fakes hold afterwards against what the calls were promised: exactly one Case per accepted
 * createSalesforceCase (found by the tool call id in its description), one Task per call (by CallObject), one
 * SMS per case (by its case number); and the Salesforce fake's request counters.
 */

export interface Tally {
  /** Acknowledged writes: each must be there exactly once. */
  expected: number;
  found: number;
  lost: number;
  duplicated: number;
  wrongOwner: number;
  /** Writes after a failed webhook or an answer that promised nothing (may be there once), and how many are there. */
  unacknowledged: number;
  unacknowledgedFound: number;
}

export interface Verification {
  cases: Tally;
  tasks: Tally;
  sms: Tally | undefined;
}

type SalesforceRecord = Record<string, unknown>;

function tally(
  expectations: Map<string, Expectation>,
  found: Map<string, SalesforceRecord[]>,
  owner: (record: SalesforceRecord) => unknown,
): Tally {
  const result: Tally = {
    expected: 0,
    found: 0,
    lost: 0,
    duplicated: 0,
    wrongOwner: 0,
    unacknowledged: 0,
    unacknowledgedFound: 0,
  };
  for (const [key, expectation] of expectations) {
    const records = found.get(key) ?? [];
    if (expectation.acknowledged) {
      result.expected++;
      if (records.length === 0) result.lost++;
      else result.found++;
    } else {
      result.unacknowledged++;
      if (records.length > 0) result.unacknowledgedFound++;
    }
    result.duplicated += Math.max(0, records.length - 1);
    result.wrongOwner += records.filter((record) => (owner(record) ?? null) !== expectation.owner).length;
  }
  // Records nobody asked for (a tool call id the simulator never sent, or was refused) count as duplicates too.
  for (const [key, records] of found) if (!expectations.has(key)) result.duplicated += records.length;
  return result;
}

function groupBy(records: SalesforceRecord[], key: (record: SalesforceRecord) => string | undefined) {
  const groups = new Map<string, SalesforceRecord[]>();
  for (const record of records) {
    const value = key(record);
    if (value !== undefined) groups.set(value, [...(groups.get(value) ?? []), record]);
  }
  return groups;
}

export async function verifyRecords(
  fake: Pool,
  twilio: Pool | undefined,
  expected: Expected,
): Promise<Verification> {
  const cases = (await getJson<SalesforceRecord[]>(fake, '/__fake/records/Case')).body;
  const tasks = (await getJson<SalesforceRecord[]>(fake, '/__fake/records/Task')).body;
  const tag = new RegExp(`\\[${expected.marker} tool=([^\\]]+)\\]`);
  const casesByTool = groupBy(cases, (record) =>
    typeof record.Description === 'string' ? tag.exec(record.Description)?.[1] : undefined,
  );
  const tasksByCall = groupBy(tasks, (record) =>
    typeof record.CallObject === 'string' && expected.tasks.has(record.CallObject)
      ? record.CallObject
      : undefined,
  );
  let sms: Tally | undefined;
  if (twilio) {
    const messages = (await getJson<SalesforceRecord[]>(twilio, '/__fake/messages')).body;
    const byCaseNumber = groupBy(messages, (message) =>
      typeof message.Body === 'string' ? /case (\d+)/i.exec(message.Body)?.[1] : undefined,
    );
    // The SMS of a case is the one naming its case number; its owner is the number it went to.
    const smsByTool = new Map<string, SalesforceRecord[]>();
    for (const toolCallId of expected.sms.keys()) {
      const caseNumber = casesByTool.get(toolCallId)?.[0]?.CaseNumber;
      if (typeof caseNumber === 'string') smsByTool.set(toolCallId, byCaseNumber.get(caseNumber) ?? []);
    }
    sms = tally(expected.sms, smsByTool, (message) => message.To);
  }
  return {
    cases: tally(expected.cases, casesByTool, (record) => record.ContactId),
    tasks: tally(expected.tasks, tasksByCall, (record) => record.WhoId),
    sms,
  };
}

export function lostOf(verification: Verification): number {
  return verification.cases.lost + verification.tasks.lost + (verification.sms?.lost ?? 0);
}

export function duplicatedOf(verification: Verification): number {
  return verification.cases.duplicated + verification.tasks.duplicated + (verification.sms?.duplicated ?? 0);
}

export function wrongOwnerOf(verification: Verification): number {
  return verification.cases.wrongOwner + verification.tasks.wrongOwner + (verification.sms?.wrongOwner ?? 0);
}

/**
 * What is wrong with the records, for the FAILED line: a record missing while the outbox is empty is lost; while
 * rows are still pending at the drain deadline it is late (the outbox holds it), which fails the run too.
 */
export function recordProblems(drained: Drained): string[] {
  const { verification, backlog } = drained;
  const missing = lostOf(verification);
  const pending = backlog?.pending ?? 0;
  return [
    missing > 0 && pending === 0 && `${missing} records lost`,
    pending > 0 &&
      `outbox not drained ${(drained.drainMs / 1000).toFixed(0)} s after the last message: ${pending} rows pending, ${missing} records not there yet`,
    backlog === undefined && 'outbox backlog unreadable',
    duplicatedOf(verification) > 0 && `${duplicatedOf(verification)} records duplicated`,
    wrongOwnerOf(verification) > 0 && `${wrongOwnerOf(verification)} records on the wrong contact`,
    (backlog?.deadLetters ?? 0) > 0 && `${backlog?.deadLetters} dead letters`,
  ].filter((problem): problem is string => typeof problem === 'string');
}

export function recordsTable(verification: Verification): string {
  const row = (label: string, entry: Tally) => [
    label,
    entry.expected,
    entry.found,
    entry.lost,
    entry.duplicated,
    entry.wrongOwner,
    `${entry.unacknowledgedFound} of ${entry.unacknowledged}`,
  ];
  return formatTable(
    [
      'records',
      'acknowledged',
      'found',
      'missing',
      'duplicated',
      'wrong owner',
      'not promised (failed, fallback)',
    ],
    [
      row('Case (one per accepted createSalesforceCase)', verification.cases),
      row('Task (one per call)', verification.tasks),
      ...(verification.sms ? [row('SMS (one per case, to the caller)', verification.sms)] : []),
    ],
  );
}

export interface Backlog {
  pending: number;
  deadLetters: number;
}

export async function readBacklog(service: Pool): Promise<Backlog | undefined> {
  try {
    const { body } = await getJson<{ details?: { delivery?: { pending?: number; deadLetters?: number } } }>(
      service,
      '/health/ready',
    );
    const delivery = body.details?.delivery;
    if (typeof delivery?.pending !== 'number') return undefined;
    return { pending: delivery.pending, deadLetters: delivery.deadLetters ?? 0 };
  } catch {
    return undefined;
  }
}

export interface Drained {
  verification: Verification;
  backlog: Backlog | undefined;
  drainMs: number;
}

/**
 * Waits until the outbox (shared by every process) is empty and every expected record is there, or the deadline
 * passes; a backlog that stays empty while records are still missing ends the wait early (nothing left that
 * could deliver them).
 */
export async function drainAndVerify(
  world: Pick<World, 'services' | 'fake' | 'twilio'>,
  expected: Expected,
  timeoutMs: number,
): Promise<Drained> {
  const { fake, twilio } = world;
  const service = world.services[0].pool;
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  let emptyPolls = 0;
  for (;;) {
    const backlog = await readBacklog(service);
    if (backlog?.pending === 0) {
      const verification = await verifyRecords(fake, twilio, expected);
      emptyPolls++;
      if (lostOf(verification) === 0 || emptyPolls >= 6 || Date.now() > deadline)
        return { verification, backlog, drainMs: performance.now() - started };
    } else {
      emptyPolls = 0;
    }
    if (Date.now() > deadline) {
      return {
        verification: await verifyRecords(fake, twilio, expected),
        backlog,
        drainMs: performance.now() - started,
      };
    }
    await sleep(500);
  }
}

export interface StatsDelta {
  apiCalls: number;
  /** [route, count] of data API requests, e.g. ['composite', 2000]; routes with none left out. */
  routes: [string, number][];
  tokenRequests: number;
  unauthorized: number;
  limitRejections: number;
}

export async function fakeStats(fake: Pool): Promise<SalesforceFakeStats> {
  return (await getJson<SalesforceFakeStats>(fake, '/__fake/stats')).body;
}

export function statsDelta(after: SalesforceFakeStats, before: SalesforceFakeStats): StatsDelta {
  const routes = Object.entries(after.apiRequests)
    .map(([route, count]): [string, number] => [
      route,
      count - (before.apiRequests[route as keyof typeof before.apiRequests] ?? 0),
    ])
    .filter(([, count]) => count > 0);
  const tokens = (stats: SalesforceFakeStats) =>
    Object.values(stats.tokenRequests).reduce((sum, count) => sum + count, 0);
  return {
    apiCalls: after.apiCallsCounted - before.apiCallsCounted,
    routes,
    tokenRequests: tokens(after) - tokens(before),
    unauthorized: after.unauthorized - before.unauthorized,
    limitRejections: after.limitRejections - before.limitRejections,
  };
}

/** "5.01 per call (search 2.00, query 2.00, composite 1.00, composite-sobjects 0.01)". */
export function perCall(delta: StatsDelta, calls: number, unit = 'call'): string {
  const share = (count: number) => (count / Math.max(calls, 1)).toFixed(2);
  return (
    `${share(delta.apiCalls)} per ${unit} (${delta.routes.map(([route, count]) => `${route} ${share(count)}`).join(', ') || 'none'})` +
    `; ${delta.apiCalls} in all`
  );
}
