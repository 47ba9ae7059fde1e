import type { FakeRecord, FieldValue } from '../../test/fakes/salesforce/salesforce-fake';
import type { TwilioFakeMessage } from '../../test/fakes/twilio/twilio-fake';
import { Checks } from './checks';
import { line, quote, style } from './print';
import type { DemoWorld } from './world';

/** What one call must leave behind in Salesforce and Twilio — and nothing more. */
export interface RecordExpectations {
  /** New Cases, in order: their Type, Contact and Account ids. */
  cases: { type: string; contactId?: string; accountId: string }[];
  /** New CaseComments on the call's new case. */
  comments: number;
  /** One SMS to the caller carrying the new case number. */
  sms: boolean;
  /** The only Contact fields that may change (on this Contact). */
  contactChange?: { contactId: string; fields: Record<string, string> };
  /** The notice of that change: one SMS to the number that was on file before it. */
  noticeTo?: string;
  /** The call's Task: who it is about, and what it hangs on. */
  task: { whoId?: string; what: 'case' | 'account' | 'case or account'; accountId: string };
}

/** What Salesforce and Twilio held before a call, to tell what the call produced. */
export interface Snapshot {
  ids: Record<'Case' | 'CaseComment' | 'Task', Set<string>>;
  contacts: Map<string, FakeRecord>;
  smsCount: number;
}

const SYSTEM_FIELDS = new Set(['LastModifiedDate', 'SystemModstamp', 'LastModifiedById']);

export function takeSnapshot(world: DemoWorld): Snapshot {
  const ids = (type: string) => new Set(world.salesforce.records(type).map((record) => String(record.Id)));
  return {
    ids: { Case: ids('Case'), CaseComment: ids('CaseComment'), Task: ids('Task') },
    contacts: new Map(world.salesforce.records('Contact').map((record) => [String(record.Id), record])),
    smsCount: world.twilio.messages.length,
  };
}

export interface CallProducts {
  cases: FakeRecord[];
  comments: FakeRecord[];
  tasks: FakeRecord[];
  sms: TwilioFakeMessage[];
  contactChanges: { contact: FakeRecord; field: string; before?: FieldValue; after?: FieldValue }[];
}

export function productsSince(world: DemoWorld, before: Snapshot): CallProducts {
  const fresh = (type: 'Case' | 'CaseComment' | 'Task') =>
    world.salesforce.records(type).filter((record) => !before.ids[type].has(String(record.Id)));
  const contactChanges: CallProducts['contactChanges'] = [];
  for (const contact of world.salesforce.records('Contact')) {
    const old = before.contacts.get(String(contact.Id)) ?? {};
    for (const field of new Set([...Object.keys(old), ...Object.keys(contact)])) {
      if (SYSTEM_FIELDS.has(field) || old[field] === contact[field]) continue;
      contactChanges.push({ contact, field, before: old[field], after: contact[field] });
    }
  }
  return {
    cases: fresh('Case'),
    comments: fresh('CaseComment'),
    tasks: fresh('Task'),
    sms: world.twilio.messages.slice(before.smsCount),
    contactChanges,
  };
}

/** Checks the products of one call against what it should have produced; `spokenCaseNumber` if one was said. */
export function checkProducts(
  checks: Checks,
  products: CallProducts,
  expected: RecordExpectations,
  call: { id: string; callerNumber: string; spokenCaseNumber?: string },
): void {
  const { cases, comments, tasks, sms, contactChanges } = products;
  checks.equal('number of Cases created', cases.length, expected.cases.length);
  expected.cases.forEach((want, index) => {
    const found = cases[index];
    checks.equal('Case.Type', found.Type, want.type);
    checks.equal('Case.ContactId', found.ContactId ?? undefined, want.contactId);
    checks.equal('Case.AccountId', found.AccountId, want.accountId);
  });
  const newCase = cases[0];
  if (call.spokenCaseNumber !== undefined) {
    checks.equal(
      'the case number the caller heard is the Case created',
      call.spokenCaseNumber,
      newCase?.CaseNumber,
    );
  }
  checks.equal('number of CaseComments added', comments.length, expected.comments);
  for (const comment of comments) checks.equal('CaseComment.ParentId', comment.ParentId, newCase?.Id);

  checks.equal('number of SMS sent', sms.length, (expected.sms ? 1 : 0) + (expected.noticeTo ? 1 : 0));
  if (expected.sms) {
    const caseNumber = String(newCase?.CaseNumber);
    const caseSms = sms.find((message) => message.Body.includes(caseNumber));
    checks.that('an SMS carries the case number', caseSms !== undefined, caseNumber, sms);
    checks.equal('SMS recipient', caseSms?.To, call.callerNumber);
  }
  if (expected.noticeTo) {
    const notice = sms.find((message) => message.Body.includes('If this was not you'));
    checks.equal(
      'the change notice goes to the number on file before the change',
      notice?.To,
      expected.noticeTo,
    );
  }

  const allowed = expected.contactChange;
  const changed = contactChanges.map((change) => `${String(change.contact.Id)}.${change.field}`).sort();
  const wanted = allowed
    ? Object.keys(allowed.fields)
        .map((field) => `${allowed.contactId}.${field}`)
        .sort()
    : [];
  checks.equal('Contact fields changed', changed.join(', ') || '(none)', wanted.join(', ') || '(none)');
  for (const change of contactChanges) {
    checks.equal(`new Contact.${change.field}`, change.after, allowed?.fields[change.field]);
  }

  checks.equal('number of Tasks logged', tasks.length, 1);
  const task = tasks[0];
  checks.equal('Task.CallObject is the VAPI call id', task.CallObject, call.id);
  checks.equal('Task.TaskSubtype', task.TaskSubtype, 'Call');
  checks.equal('Task.CallType', task.CallType, 'Inbound');
  checks.equal('Task.Status', task.Status, 'Completed');
  checks.equal('Task.WhoId', task.WhoId ?? undefined, expected.task.whoId);
  const whatOptions: (FieldValue | undefined)[] = {
    case: [newCase?.Id],
    account: [expected.task.accountId],
    'case or account': [newCase?.Id, expected.task.accountId],
  }[expected.task.what];
  checks.that(
    `Task.WhatId is the ${expected.task.what}`,
    whatOptions.some((id) => id !== undefined && id === task.WhatId),
    whatOptions.join(' or '),
    task.WhatId,
  );
}

function nameOf(world: DemoWorld, type: 'Contact' | 'Account', id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const record = world.salesforce.record(type, id);
  if (!record) return id;
  return type === 'Contact'
    ? `${String(record.FirstName ?? '')} ${String(record.LastName)}`.trim()
    : String(record.Name);
}

const nothing = (value: FieldValue | undefined) =>
  value === undefined || value === null || value === '' ? '(none)' : String(value);

/** The records of one call, compactly: what a support agent would now see in Salesforce. */
export function printProducts(world: DemoWorld, products: CallProducts): void {
  line(style.bold('  In Salesforce and Twilio:'));
  for (const record of products.cases) {
    const who = [nameOf(world, 'Contact', record.ContactId), nameOf(world, 'Account', record.AccountId)]
      .filter(Boolean)
      .join(', ');
    line(
      `    Case ${style.bold(String(record.CaseNumber))}  ${quote(String(record.Subject))}  ` +
        `${String(record.Status)} · ${String(record.Type)} · ${String(record.Priority)} priority · ${who}`,
    );
    if (record.Description) line(style.dim(`      Description: ${quote(String(record.Description), 80)}`));
    for (const comment of products.comments.filter((c) => c.ParentId === record.Id)) {
      line(`      Comment: ${quote(String(comment.CommentBody), 86)}`);
    }
  }
  for (const change of products.contactChanges) {
    line(
      `    Contact ${nameOf(world, 'Contact', change.contact.Id)}: ${change.field} ` +
        `${nothing(change.before)} → ${style.bold(nothing(change.after))}`,
    );
  }
  for (const task of products.tasks) {
    const on = [nameOf(world, 'Contact', task.WhoId), whatName(world, task.WhatId)].filter(Boolean);
    line(`    Task ${quote(String(task.Subject))} on ${on.join(' / ')}`);
    const facts = [task.TaskSubtype, task.CallType, task.Status, `${String(task.CallDurationInSeconds)} s`];
    line(style.dim(`      ${facts.map(String).join(' · ')} · ended: ${String(task.CallDisposition)}`));
    const description = String(task.Description ?? '').split('\n');
    const transcriptAt = description.indexOf('Transcript:');
    const head = description.slice(0, transcriptAt < 0 ? 2 : transcriptAt).filter(Boolean);
    for (const text of head) line(style.dim(`      ${quote(text, 92).slice(1, -1)}`));
    if (transcriptAt >= 0) {
      const turns = description.length - transcriptAt - 1;
      line(
        style.dim(
          `      Transcript: ${turns} lines, starting ${quote(description[transcriptAt + 1] ?? '', 60)}`,
        ),
      );
    }
  }
  for (const sms of products.sms) line(`    SMS to ${sms.To}: ${quote(sms.Body, 80)}`);
}

function whatName(world: DemoWorld, id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const kase = world.salesforce.record('Case', id);
  if (kase) return `case ${String(kase.CaseNumber)}`;
  return nameOf(world, 'Account', id);
}
