import { NewCallTask } from '../salesforce/salesforce.types';
import { CallReport } from '../vapi/vapi-events';
import {
  CallState,
  CreatedCaseRef,
  isIdentified,
  TRANSFER_MODE_WORDS,
  TRANSFER_OUTCOME_WORDS,
  transferOutcome,
} from './calls.types';

/** Salesforce field limits (docs/salesforce.md): Task.Subject 255, Task.Description 32,000. */
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;

/** What the call log is made from: an end-of-call report, or the call fetched from the VAPI API. */
export interface CallLogSource extends CallReport {
  callId: string;
}

export interface CallLog {
  task: NewCallTask;
  /** The whole transcript, attached as a file when it does not fit in the Description. */
  transcript?: { title: string; content: string };
}

function durationSeconds(startedAt?: string, endedAt?: string): number | undefined {
  const start = startedAt ? Date.parse(startedAt) : NaN;
  const end = endedAt ? Date.parse(endedAt) : NaN;
  return Number.isFinite(start) && Number.isFinite(end) && end >= start
    ? Math.round((end - start) / 1000)
    : undefined;
}

/** The call log Task for one call (docs/salesforce.md, "The call log Task"). */
export function buildCallLog(
  source: CallLogSource,
  state: CallState | undefined,
  cases: CreatedCaseRef[],
  now: Date,
): CallLog {
  const identity = state?.identity;
  const ended = source.endedAt && !Number.isNaN(Date.parse(source.endedAt)) ? new Date(source.endedAt) : now;
  const caseNote = cases.length > 0 ? ` (case ${cases.map((created) => created.caseNumber).join(', ')})` : '';
  const who = identity?.firstName ? ` with ${identity.firstName}` : '';
  const subject = `Inbound call${who}${caseNote}`.slice(0, SUBJECT_MAX);

  const header: string[] = [];
  if (source.summary) header.push(`Summary: ${source.summary}`);
  if (state?.transfer) {
    const { transfer } = state;
    const outcome = TRANSFER_OUTCOME_WORDS[transferOutcome(transfer, source.endedReason)];
    header.push(
      `Transferred to a human agent at ${transfer.at} (${TRANSFER_MODE_WORDS[transfer.mode ?? 'blind']}): ${outcome}.`,
    );
  }
  if (source.recordingUrl) header.push(`Recording: ${source.recordingUrl}`);
  header.push(`VAPI call: ${source.callId}`);
  const head = `${header.join('\n')}\n\nTranscript:\n`;
  const transcript = source.transcript ?? '(no transcript)';
  let description = `${head}${transcript}`;
  let attachment: CallLog['transcript'];
  if (description.length > DESCRIPTION_MAX) {
    const note = '\n[… transcript truncated; the full transcript is attached to this task]';
    description = `${head}${transcript.slice(0, DESCRIPTION_MAX - head.length - note.length)}${note}`;
    attachment = { title: `Transcript of call ${source.callId}`, content: transcript };
  }

  return {
    task: {
      callId: source.callId,
      subject,
      description,
      whoId: identity && isIdentified(identity) ? identity.contactId : undefined,
      whatId: cases[0]?.id ?? identity?.accountId,
      durationSeconds: durationSeconds(source.startedAt, source.endedAt),
      disposition: source.endedReason?.slice(0, SUBJECT_MAX),
      activityDate: ended.toISOString().slice(0, 10),
      ...(source.structured ? { structured: source.structured } : {}),
    },
    ...(attachment ? { transcript: attachment } : {}),
  };
}
