import { CallRef, RecordedEvent } from './vapi-events';

/** The voice that speaks a language and the transcriber that hears it (OAS `CreateAssistantDTO.voice`, `.transcriber`). */
export interface AssistantSpeech {
  voice: { provider: string; voiceId: string };
  transcriber: { provider: string; model: string; language: string };
}

/** What VAPI says while a tool runs (OAS `ToolMessageStart`, `ToolMessageDelayed`, `ToolMessageFailed`). */
export interface ToolSpeech {
  start: string;
  delayed: string;
  failed: string;
}

/** What an assistant says, in the call workflow's words: the same for a saved and a transient assistant. */
export interface AssistantScript {
  firstMessage: string;
  systemPrompt: string;
  endCallMessage: string;
  /** Spoken while a tool runs, by tool name; `other` for a tool without words of its own. */
  toolSpeech: { byTool: Partial<Record<string, ToolSpeech>>; other: ToolSpeech };
  /** The language's voice and transcriber; ASSISTANT_VOICE_* and ASSISTANT_TRANSCRIBER_* override them. */
  speech: AssistantSpeech;
}

/** What the assistant of one call should know and say; vapi/ turns it into VAPI's shape. */
export interface AssistantPlan extends AssistantScript {
  caller: {
    firstName?: string;
    /** Recognised from their number: tools may discuss their records. */
    identified: boolean;
    openCaseCount: number;
    /** The caller's open cases as one spoken sentence ('' when none). */
    openCasesText: string;
  };
}

/**
 * How the human agent is briefed before the caller is connected (VAPI `TransferPlan`): a message built from the
 * call, or a summary VAPI generates from the transcript with these instructions. `notAnswered` is spoken to the
 * caller when the line is busy or unanswered, and the assistant stays on the call.
 */
export type WarmTransfer =
  | { style: 'message'; message: string; notAnswered: string }
  | { style: 'summary'; summaryInstructions: string; notAnswered: string };

export type TransferPlan =
  /** Without `warm`: a blind transfer. */
  | { kind: 'transfer'; number: string; message: string; warm?: WarmTransfer }
  /** No human line to transfer to: the sentence is spoken instead. */
  | { kind: 'unavailable'; message: string };

/** A passage the model may answer from, with how well it matches (0–1) and the article it comes from. */
export interface KnowledgeDocument {
  content: string;
  similarity: number;
  id: string;
}

/**
 * The port through which the VAPI front door hands a call's events to the call workflow, and the workflow
 * answers in its own terms. The workflow implements it; the VAPI module knows nothing of Salesforce or the store.
 */
export abstract class VapiCallHandler {
  /** Must answer well inside VAPI's fixed 7.5 s; never throws for a slow or failed lookup. */
  abstract assistantFor(call: CallRef): Promise<AssistantPlan>;
  /** Used when `assistantFor` throws anyway: synchronous, no I/O, so a call never fails to start. */
  abstract fallbackAssistant(): AssistantPlan;
  abstract transferFor(call: CallRef): Promise<TransferPlan>;
  /** Passages of published help articles for the caller's question, best first; none when off or slow. */
  abstract knowledgeFor(call: CallRef, question: string): Promise<KnowledgeDocument[]>;
  /** Stores what an informational event tells, durably, before it is acknowledged; slow work happens later. */
  abstract record(event: RecordedEvent): Promise<void>;
}
