import { ContactUpdate, CreatedCase, NewCallTask, NewCase } from '../../salesforce/salesforce.types';
import { CallLogSource } from '../call-log.builder';

/** Who asked for a tool's write first: the tool call id (see `repeatsAnEarlierRequest`). */
interface Requested {
  requestedBy?: string;
}

/** A case to open; the SMS and the account number are the workflow's, resolved when the row runs. */
export interface CaseCreatePayload extends NewCase, Requested {
  /** Text the caller the case number once the case exists. `body` contains `{caseNumber}`. */
  sms?: { to: string; body: string };
  /**
   * The account number a caller gave while Salesforce could not be asked: resolved to `accountId` when the row
   * runs. An unknown number makes the row a dead letter with that reason.
   */
  accountNumber?: string;
}

/**
 * The call's Task, built when the row runs from the report and the call as it then is (its caller and the
 * cases opened in it). Rows queued by earlier versions carry the built Task instead.
 */
export type CallLogPayload =
  { report: CallLogSource } | { task: NewCallTask; transcript?: { title: string; content: string } };

// The writes of the call workflow, declared to the outbox (see delivery.types.ts).
declare module '../../delivery/delivery.types' {
  interface DeliveryKinds {
    'salesforce.case.create': { payload: CaseCreatePayload; result: CreatedCase };
    'salesforce.case.comment': {
      payload: { caseId: string; body: string } & Requested;
      result: { id: string };
    };
    'salesforce.contact.update': {
      /** `notice`: the SMS to the number on file before the change, sent once the change is made. */
      payload: {
        contactId: string;
        fields: ContactUpdate;
        notice?: { to: string; body: string };
      } & Requested;
      result: { updated: true };
    };
    'salesforce.task.create': { payload: CallLogPayload; result: { id: string } };
    /** Follow-up of a Task whose transcript was too long for its Description. */
    'salesforce.task.transcript': {
      payload: { taskId: string; title: string; content: string };
      result: { contentDocumentId: string };
    };
    'twilio.sms.send': {
      payload: { to: string; body: string };
      result: { sid: string; status: string } | { skipped: string };
    };
  }
}
