import { IntegrationError } from '../common/integration.error';
import { SalesforceErrorCode } from '../salesforce/salesforce.errors';
import { TwilioErrorCode } from '../twilio/twilio.errors';
import { VapiErrorCode } from './vapi.errors';

/*
 * What the caller hears when something fails. Each table is a Record over its module's error-code enum, so adding
 * a code without a sentence does not compile. Sentences never promise a write: writes that the outbox will finish
 * speak their own follow-up promise in the call workflow.
 */
const TRY_LATER = 'Please try again in a few minutes, or ask me to transfer you to a colleague.';

const SALESFORCE_SENTENCES: Record<SalesforceErrorCode, string> = {
  [SalesforceErrorCode.AUTH_FAILED]: `I can't reach our customer records at the moment. ${TRY_LATER}`,
  [SalesforceErrorCode.SESSION_EXPIRED]: `I lost my connection to our customer records just now. ${TRY_LATER}`,
  [SalesforceErrorCode.RATE_LIMITED]: `Our records system is very busy right now. ${TRY_LATER}`,
  [SalesforceErrorCode.UNAVAILABLE]: `Our records system isn't answering right now. ${TRY_LATER}`,
  [SalesforceErrorCode.TIMEOUT]: `Our records system is taking too long to answer. ${TRY_LATER}`,
  [SalesforceErrorCode.NOT_FOUND]:
    "I couldn't find that record. Could you check the number and tell me again?",
  [SalesforceErrorCode.VALIDATION]:
    "Our records system didn't accept that. Could you tell me the details again, a little differently?",
  [SalesforceErrorCode.MISCONFIGURED]: `I can't do that on this line right now because of a setup problem on our side. ${TRY_LATER}`,
  [SalesforceErrorCode.UNKNOWN]: `Something went wrong on our side. ${TRY_LATER}`,
};

const TWILIO_SENTENCES: Record<TwilioErrorCode, string> = {
  [TwilioErrorCode.RATE_LIMITED]: "I couldn't send the text message just yet; it will follow shortly.",
  [TwilioErrorCode.INVALID_RECIPIENT]:
    "I can't send a text message to this number, so please note it down now.",
  [TwilioErrorCode.AUTH_FAILED]: "I can't send text messages at the moment, so please note it down now.",
  [TwilioErrorCode.UNAVAILABLE]: "I couldn't send the text message just yet; it will follow shortly.",
  [TwilioErrorCode.TIMEOUT]: "I couldn't send the text message just yet; it will follow shortly.",
  [TwilioErrorCode.REJECTED]: "I can't send a text message to this number, so please note it down now.",
  [TwilioErrorCode.NOT_CONFIGURED]: "I can't send text messages on this line, so please note it down now.",
};

const VAPI_SENTENCES: Record<VapiErrorCode, string> = {
  [VapiErrorCode.UNKNOWN_TOOL]:
    "I'm sorry, I can't do that on this line. Is there something else I can help with?",
  [VapiErrorCode.INVALID_ARGUMENTS]: "I didn't quite catch that. Could you say it again?",
  [VapiErrorCode.INTERNAL]: `I'm sorry, something went wrong on our side. ${TRY_LATER}`,
};

function isCode<T extends string>(table: Record<T, string>, code: string): code is T {
  return Object.prototype.hasOwnProperty.call(table, code);
}

/** The sentence for any error; unknown errors get the generic apology. */
export function spokenFallbackFor(error: unknown): string {
  if (error instanceof IntegrationError) {
    const code = String(error.code);
    if (error.source === 'salesforce' && isCode(SALESFORCE_SENTENCES, code))
      return SALESFORCE_SENTENCES[code];
    if (error.source === 'twilio' && isCode(TWILIO_SENTENCES, code)) return TWILIO_SENTENCES[code];
  }
  return VAPI_SENTENCES[VapiErrorCode.INTERNAL];
}

export function spokenSentence(code: VapiErrorCode): string {
  return VAPI_SENTENCES[code];
}
