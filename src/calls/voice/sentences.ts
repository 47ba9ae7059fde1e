import { SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { ContactUpdate, IssueType } from '../../salesforce/salesforce.types';
import { PhoneVerificationErrorCode, TwilioErrorCode } from '../../twilio/twilio.errors';
import { VapiErrorCode } from '../../vapi/vapi.errors';

/** A case as the caller hears about it. */
export interface SpokenCase {
  caseNumber: string;
  status: string;
  subject?: string;
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
    /** Spoken while a tool runs. */
    oneMoment: string;
    /** Added to the prompt when callers can be verified by a one-time code. */
    verificationPrompt: string;
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
  };

  /** Sent, never received: the service does not handle inbound SMS, so a text must not invite a reply. */
  sms: {
    caseOpened(caseNumber: string, company: string): string;
    /** To the number on file before a contact change, so its owner hears of a change they did not make. */
    contactChanged(company: string, when: Date): string;
  };
}

const TRY_LATER = 'Please try again in a few minutes, or ask me to transfer you to a colleague.';
const TEXT_LATER = "I couldn't send the text message just yet; it will follow shortly.";
const NOTE_IT_DOWN = 'so please note it down now.';
const OFFER_COLLEAGUE = 'I can transfer you to a colleague who can help.';
const WRONG_CODE = "That code didn't match. Please check the text message and read me the digits again.";
const NO_CODES = `I can't send verification codes on this line right now. ${OFFER_COLLEAGUE}`;
const VERIFY_LATER =
  "I couldn't reach our verification service just now. Please try again in a moment, or I can transfer you to a colleague.";

const ISSUE_WORDS: Record<IssueType, string> = {
  billing: 'billing',
  technical: 'technical',
  account: 'account',
};

export const ENGLISH: CallerSentences = {
  digits: (value) => value.split('').join(' '),
  list: (words) =>
    words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`,

  assistant: {
    systemPrompt: (company) =>
      [
        `You are the phone support agent of ${company}. Be brief, warm and clear: callers hear you, they cannot read.`,
        'Before you create a case, add a comment or change contact details, repeat what you are about to do and wait for the caller to confirm.',
        "Only ever discuss the caller's own cases. If a tool says it cannot find a case or cannot share details, say so; never guess or invent case data.",
        'Read case numbers digit by digit. Never read out email addresses or phone numbers in full.',
        'If the caller asks for a person, or you cannot help, use the transferCall tool.',
        'When a tool answers, speak its answer in your own words without adding facts.',
      ].join('\n'),
    knownCaller: (firstName, openCases) =>
      `The caller is ${firstName}, recognised from their phone number. Their open cases: ${openCases}`,
    knownCallerWithoutCases: (firstName) =>
      `The caller is ${firstName}, recognised from their phone number. They have no open cases.`,
    knownCallerCasesAfterVerification: (firstName) =>
      `The caller is probably ${firstName}: their phone number matches, which anyone can fake. Their cases are shared only once they have confirmed who they are with a code.`,
    unknownCaller:
      'The caller was not recognised from their phone number: ask for their account number before opening a case, and do not discuss existing cases.',
    greetKnown: (firstName, company, openCaseCount) =>
      `Hi ${firstName}, thanks for calling ${company}.${
        openCaseCount > 0
          ? ` I can see you have ${openCaseCount === 1 ? 'an open case' : `${openCaseCount} open cases`}.`
          : ''
      } How can I help?`,
    greetUnknown: (company) => `Thanks for calling ${company}. How can I help you today?`,
    goodbye: (company) => `Thank you for calling ${company}. Goodbye.`,
    oneMoment: 'One moment while I check that.',
    verificationPrompt:
      'If a tool says it must first confirm who the caller is, offer to text a code to the phone number on their account. When they agree, use sendVerificationCode; pass the digits they read out to verifyCaller; once verified, try their request again. Never read a code aloud yourself, and never send a code to a number the caller gives you.',
  },

  failures: {
    salesforce: {
      [SalesforceErrorCode.AUTH_FAILED]: `I can't reach our customer records at the moment. ${TRY_LATER}`,
      [SalesforceErrorCode.SESSION_EXPIRED]: `I lost my connection to our customer records just now. ${TRY_LATER}`,
      [SalesforceErrorCode.RATE_LIMITED]: `Our records system is very busy right now. ${TRY_LATER}`,
      [SalesforceErrorCode.UNAVAILABLE]: `Our records system isn't answering right now. ${TRY_LATER}`,
      [SalesforceErrorCode.TIMEOUT]: `Our records system is taking too long to answer. ${TRY_LATER}`,
      [SalesforceErrorCode.NOT_FOUND]:
        "I couldn't find that record. Could you check the number and tell me again?",
      [SalesforceErrorCode.VALIDATION]:
        "Our records system didn't accept that. Could you tell me the details again, a little differently?",
      // Says nothing about which record it matched: that would tell a caller whose details exist.
      [SalesforceErrorCode.DUPLICATES_DETECTED]:
        "Our records system flagged that as a possible duplicate of another record, so it wasn't saved. A colleague can sort this out with you: shall I transfer you?",
      [SalesforceErrorCode.MISCONFIGURED]: `I can't do that on this line right now because of a setup problem on our side. ${TRY_LATER}`,
      [SalesforceErrorCode.UNKNOWN]: `Something went wrong on our side. ${TRY_LATER}`,
    },
    twilio: {
      [TwilioErrorCode.RATE_LIMITED]: TEXT_LATER,
      [TwilioErrorCode.INVALID_RECIPIENT]: `I can't send a text message to this number, ${NOTE_IT_DOWN}`,
      [TwilioErrorCode.AUTH_FAILED]: `I can't send text messages at the moment, ${NOTE_IT_DOWN}`,
      [TwilioErrorCode.UNAVAILABLE]: TEXT_LATER,
      [TwilioErrorCode.TIMEOUT]: TEXT_LATER,
      [TwilioErrorCode.REJECTED]: `I can't send a text message to this number, ${NOTE_IT_DOWN}`,
      [TwilioErrorCode.NOT_CONFIGURED]: `I can't send text messages on this line, ${NOTE_IT_DOWN}`,
    },
    verification: {
      [PhoneVerificationErrorCode.INVALID_PARAMETER]: `I can't send a code to the number on your account. ${OFFER_COLLEAGUE}`,
      [PhoneVerificationErrorCode.NOT_SMS_CAPABLE]: `The number on your account can't receive text messages, so I can't send you a code. ${OFFER_COLLEAGUE}`,
      [PhoneVerificationErrorCode.TOO_MANY_SENDS]:
        "I've sent several codes to your phone already. Please read me the last one you received, or I can transfer you to a colleague.",
      [PhoneVerificationErrorCode.TOO_MANY_CHECKS]: `For your security I can't check any more codes on this call. ${OFFER_COLLEAGUE}`,
      [PhoneVerificationErrorCode.NO_PENDING_VERIFICATION]: WRONG_CODE,
      [PhoneVerificationErrorCode.MISCONFIGURED]: NO_CODES,
      [PhoneVerificationErrorCode.AUTH_FAILED]: NO_CODES,
      [PhoneVerificationErrorCode.NOT_CONFIGURED]: NO_CODES,
      [PhoneVerificationErrorCode.RATE_LIMITED]: VERIFY_LATER,
      [PhoneVerificationErrorCode.UNAVAILABLE]: VERIFY_LATER,
      [PhoneVerificationErrorCode.TIMEOUT]: VERIFY_LATER,
      [PhoneVerificationErrorCode.REJECTED]: `I couldn't send a code to the number on your account. ${OFFER_COLLEAGUE}`,
    },
    frontDoor: {
      [VapiErrorCode.UNKNOWN_TOOL]:
        "I'm sorry, I can't do that on this line. Is there something else I can help with?",
      [VapiErrorCode.INVALID_ARGUMENTS]: "I didn't quite catch that. Could you say it again?",
      [VapiErrorCode.INTERNAL]: `I'm sorry, something went wrong on our side. ${TRY_LATER}`,
      [VapiErrorCode.TOO_MANY_TOOL_CALLS]:
        "I'm sorry, that is more than I can do at once. Could we take it one thing at a time?",
      // The tool may still finish (a write it accepted is kept), so nothing here says it failed or will follow.
      [VapiErrorCode.TOOL_DEADLINE]: `I'm sorry, our system is slow to answer, so I can't confirm that right now. ${TRY_LATER}`,
    },
  },

  questions: {
    byTool: {
      createSalesforceCase: {
        subject: 'Could you give me a short title for the case?',
      },
      lookupCase: { caseNumber: 'Could you read me the case number, digit by digit?' },
      addCaseComment: {
        caseNumber: 'Which case is this about? Could you read me the case number?',
        comment: 'What would you like me to add to the case?',
      },
      updateContact: {
        email: "That email address doesn't look right. Could you spell it for me?",
        phone: "That phone number doesn't look right. Could you say it again, digit by digit?",
        mobilePhone: "That mobile number doesn't look right. Could you say it again, digit by digit?",
      },
      verifyCaller: { code: 'Could you read me the code from the text message, digit by digit?' },
    },
    byArgument: {
      accountNumber: 'Could you tell me your account number?',
      issueType: 'Is this about billing, a technical problem, or your account?',
      description: 'Could you describe the problem in a sentence or two?',
      priority: 'How urgent is this: low, medium or high?',
    },
    generic: (argument) =>
      `Could you tell me the ${argument.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}?`,
  },

  cases: {
    status: ({ caseNumber, status, subject }) => {
      const about = subject ? `, about "${subject.slice(0, 80)}",` : '';
      return `Case ${ENGLISH.digits(caseNumber)}${about} is ${status.toLowerCase()}.`;
    },
    noneOpen: 'You have no open cases at the moment.',
    oneOpen: 'You have one open case.',
    someOpen: (count) => `Your ${count} most recent open cases:`,
    notFound: (caseNumber) =>
      `I couldn't find case ${ENGLISH.digits(caseNumber)} on your account. Could you check the number?`,
    onlyForRecognisedCallers:
      'For your privacy I can only discuss existing cases when you call from the phone number on your account. I can open a new case, or transfer you to a colleague.',
    askAccountNumber: 'Could you tell me your account number?',
    accountNotFound: (accountNumber) =>
      `I couldn't find an account with the number ${ENGLISH.digits(accountNumber)}. Could you check it and tell me again?`,
    opened: (caseNumber, issueType) =>
      `I've opened case ${ENGLISH.digits(caseNumber)} for your ${ISSUE_WORDS[issueType]} issue.`,
    alreadyOpened: (caseNumber) => `I've already opened case ${ENGLISH.digits(caseNumber)} for that.`,
    willText: ' I will also text you the case number.',
    queuedWillText:
      "I've noted your request. Our system is slow right now, so you'll get a text with your case number shortly.",
    queuedColleagueWillFollowUp:
      "I've noted your request. Our system is slow right now, so a colleague will follow up with your case number.",
    refused:
      "I'm sorry, our records system would not accept that case. Could you describe the problem again in a few words?",
    defaultSubject: { billing: 'Billing issue', technical: 'Technical issue', account: 'Account issue' },
  },

  comments: {
    added: (caseNumber) => `I've added your comment to case ${ENGLISH.digits(caseNumber)}.`,
    alreadyAdded: (caseNumber) => `I've already added that comment to case ${ENGLISH.digits(caseNumber)}.`,
    queued: (caseNumber) =>
      `I've noted your comment, and it will be added to case ${ENGLISH.digits(caseNumber)} shortly.`,
    refused:
      "I'm sorry, our records system would not accept that comment. Could you say it again a little differently?",
  },

  contact: {
    onlyForRecognisedCallers:
      'I can only change contact details when you call from the phone number on your account. I can transfer you to a colleague who can help.',
    fieldWords: {
      email: 'email address',
      phone: 'phone number',
      mobilePhone: 'mobile number',
      mailingStreet: 'street',
      mailingCity: 'city',
      mailingState: 'state',
      mailingPostalCode: 'postal code',
      mailingCountry: 'country',
    },
    invalidPhone: (field) => `That ${field} doesn't look right. Could you say it again, digit by digit?`,
    nothingToUpdate: 'What would you like me to update: your email, phone number or address?',
    updated: (fields) => `I've updated your ${fields}.`,
    alreadyUpdated: (fields) => `I've already updated your ${fields}.`,
    queued: (fields) => `I've noted the change to your ${fields}, and it will be saved shortly.`,
    refused: (fields) =>
      `I'm sorry, our records system would not accept that ${fields}. Could you check it and tell me again?`,
  },

  verification: {
    required:
      "For your security I need to confirm it's you before I do that. I can text a code to the phone number on your account: shall I send it?",
    requiredButUnverifiable: `For your security I can only do that once I've confirmed who you are, and I can't do that on this call. ${OFFER_COLLEAGUE}`,
    unavailable: NO_CODES,
    onlyForRecognisedCallers: `I can only text a code to the phone number on an account, and I couldn't match the number you're calling from to one. ${OFFER_COLLEAGUE}`,
    noNumberOnFile: `I don't have a number on your account that I can text a code to. ${OFFER_COLLEAGUE}`,
    codeSent: (lastDigits) =>
      `I've texted a code to the phone number on your account ending in ${ENGLISH.digits(lastDigits)}. Please read it to me when it arrives.`,
    sendCodeFirst: "I haven't sent you a code yet. Shall I text one to the phone number on your account?",
    verified: "Thank you, that's confirmed.",
    alreadyVerified: "You're already confirmed for this call.",
    wrongCode: WRONG_CODE,
    wrongCodeLocked: `That code didn't match, and for your security I can't check any more codes on this call. ${OFFER_COLLEAGUE}`,
    locked: `For your security I can't check any more codes on this call. ${OFFER_COLLEAGUE}`,
  },

  transfer: {
    connecting: "I'm connecting you with a colleague now. Please stay on the line.",
    unavailable: 'Transfers are not available on this line right now.',
    fallback:
      "Our assistant can't take your call right now, so I'm connecting you with a colleague. Please stay on the line.",
  },

  sms: {
    caseOpened: (caseNumber, company) =>
      `Your case ${caseNumber} has been opened with ${company}. Please quote this number when you call us about it.`,
    contactChanged: (company, when) =>
      `The contact details of your account with ${company} were changed during a call on ${when.toLocaleString(
        'en-US',
        { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' },
      )} UTC. If this was not you, call us.`,
  },
};
