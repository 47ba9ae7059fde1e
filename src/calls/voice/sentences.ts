import { SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { ContactUpdate, IssueType } from '../../salesforce/salesforce.types';
import { PhoneVerificationErrorCode, TwilioErrorCode } from '../../twilio/twilio.errors';
import type { AssistantSpeech, ToolSpeech } from '../../vapi/vapi-call.handler';
import { VapiErrorCode } from '../../vapi/vapi.errors';
import type { ToolName } from '../tools/tool-catalogue';

/** A case as the caller hears about it. */
export interface SpokenCase {
  caseNumber: string;
  status: string;
  subject?: string;
}

/** What a warm transfer tells the human agent about the caller (no numbers, no emails). */
export interface WarmTransferBriefing {
  /** Only when the caller was recognised from their number. */
  firstName?: string;
  assurance: 'unknown' | 'recognised' | 'verified';
  /** Case numbers opened in this call. */
  casesOpened: string[];
}

/**
 * Everything the caller hears, as one table per language: the assistant's prompt and greetings, every tool
 * answer, every fallback, every question, the SMS texts. The error tables are Records over each module's
 * error-code enum, so a new code without a sentence does not compile; a new language is a new table of this
 * type. Sentences never promise a write that nothing will keep: the follow-up promises are spoken only where
 * the outbox holds the write.
 */
export interface CallerSentences {
  /** How a string of digits is read out: text-to-speech reads "00001027" as one thousand and twenty-seven. */
  digits: (value: string) => string;
  /** Joins words into a spoken list: "email, phone number and city". */
  list: (words: string[]) => string;
  /** Who "thanks for calling …" thanks when COMPANY_NAME is not set. */
  defaultCompanyName: string;

  assistant: {
    systemPrompt(company: string): string;
    /** What the prompt tells the model about this caller. */
    knownCaller(firstName: string, openCases: string): string;
    knownCallerWithoutCases(firstName: string): string;
    /** Recognised, while reading cases needs a verified caller: the prompt holds none of them. */
    knownCallerCasesAfterVerification(firstName: string): string;
    unknownCaller: string;
    greetKnown(firstName: string, company: string, openCaseCount: number): string;
    greetUnknown(company: string): string;
    goodbye(company: string): string;
    /**
     * Pushed into a live call (system message) when the caller lookup finished after the call had started:
     * the first name only, and that it comes from the phone number.
     */
    lateRecognised(firstName: string): string;
    /** Added to the prompt when callers can be verified by a one-time code. */
    verificationPrompt: string;
  };

  /**
   * Spoken by VAPI itself while one of our tools runs (a tool's `messages`): when it starts, when our answer is
   * slow, and when none came (VAPI could not reach us), so a "failed" must not claim the write did not happen.
   */
  whileTools: {
    byTool: Record<ToolName, ToolSpeech>;
    /** For a tool outside the catalogue. */
    other: ToolSpeech;
  };

  failures: {
    salesforce: Record<SalesforceErrorCode, string>;
    twilio: Record<TwilioErrorCode, string>;
    verification: Record<PhoneVerificationErrorCode, string>;
    frontDoor: Record<VapiErrorCode, string>;
  };

  /** Questions for a missing or invalid argument: per tool first, then per argument, then a generic one. */
  questions: {
    byTool: Record<string, Record<string, string>>;
    byArgument: Record<string, string>;
    generic(argument: string): string;
  };

  cases: {
    status(spoken: SpokenCase): string;
    noneOpen: string;
    oneOpen: string;
    someOpen(count: number): string;
    notFound(caseNumber: string): string;
    onlyForRecognisedCallers: string;
    askAccountNumber: string;
    accountNotFound(accountNumber: string): string;
    opened(caseNumber: string, issueType: IssueType): string;
    /** The same request again in the same call (a retry): the first result. */
    alreadyOpened(caseNumber: string): string;
    willText: string;
    queuedWillText: string;
    queuedColleagueWillFollowUp: string;
    refused: string;
    /** The Case Subject when the caller gave none (it is read back to them later). */
    defaultSubject: Record<IssueType, string>;
  };

  comments: {
    added(caseNumber: string): string;
    alreadyAdded(caseNumber: string): string;
    queued(caseNumber: string): string;
    refused: string;
  };

  contact: {
    onlyForRecognisedCallers: string;
    fieldWords: Record<keyof ContactUpdate, string>;
    invalidPhone(field: string): string;
    nothingToUpdate: string;
    updated(fields: string): string;
    alreadyUpdated(fields: string): string;
    queued(fields: string): string;
    refused(fields: string): string;
  };

  /** One-time codes texted to the number on file: what proves a caller is who their caller ID says. */
  verification: {
    /** A tool the policy guards, asked by a recognised caller who is not verified yet. */
    required: string;
    /** A guarded tool asked by a caller we cannot verify (not recognised, or locked out). */
    requiredButUnverifiable: string;
    /** No verification service on this line. */
    unavailable: string;
    onlyForRecognisedCallers: string;
    noNumberOnFile: string;
    codeSent(lastDigits: string): string;
    sendCodeFirst: string;
    verified: string;
    alreadyVerified: string;
    /** A wrong code and an expired one get this same answer. */
    wrongCode: string;
    /** The wrong code that used up the last attempt. */
    wrongCodeLocked: string;
    locked: string;
  };

  transfer: {
    connecting: string;
    unavailable: string;
    /** VAPI speaks it before the phone number's fallbackDestination when we cannot answer assistant-request. */
    fallback: string;
    /**
     * Warm transfer (`TRANSFER_MODE=warm`). What the human agent hears before the caller is connected: who is
     * calling (a first name only when recognised), how sure we are, the cases opened in this call. Never a
     * phone number or an email.
     */
    warmBriefing(briefing: WarmTransferBriefing): string;
    /** Instructions for the summary VAPI generates for the human agent (`warm-transfer-say-summary`). */
    warmSummaryInstructions: string;
    /** Spoken to the caller when the human line is busy or does not answer; the assistant stays on. */
    warmNotAnswered: string;
  };

  /** Answers from published Salesforce Knowledge articles (searchKnowledge). */
  knowledge: {
    /** The tool's answer: the article's title and a short speakable snippet of it. */
    answer(title: string, snippet: string): string;
    noAnswer: string;
    /** Salesforce did not answer within KNOWLEDGE_TIMEOUT_MS, or failed. */
    unavailable: string;
    /** Added to the prompt when Knowledge is configured. */
    prompt: string;
  };

  /** Sent, never received: the service does not handle inbound SMS, so a text must not invite a reply. */
  sms: {
    caseOpened(caseNumber: string, company: string): string;
    /** To the number on file before a contact change, so its owner hears of a change they did not make. */
    contactChanged(company: string, when: Date): string;
  };
}

/**
 * One language the assistant speaks (`ASSISTANT_LANGUAGE`): its sentence table, and the voice and transcriber
 * that speak and hear it. A new language is one file in `locales/` plus one line in `locales/index.ts`.
 */
export interface Locale {
  speech: AssistantSpeech;
  sentences: CallerSentences;
  /** The Salesforce Knowledge `Language` of articles in this language (KNOWLEDGE_LANGUAGE overrides it). */
  knowledgeLanguage: string;
}
