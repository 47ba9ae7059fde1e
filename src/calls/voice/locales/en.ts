import { SalesforceErrorCode } from '../../../salesforce/salesforce.errors';
import { IssueType } from '../../../salesforce/salesforce.types';
import { PhoneVerificationErrorCode, TwilioErrorCode } from '../../../twilio/twilio.errors';
import { VapiErrorCode } from '../../../vapi/vapi.errors';
import type { Locale } from '../sentences';

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

/** Digit by digit, space-separated: "00001027" is heard as "zero zero zero zero one zero two seven". */
const digits = (value: string): string => value.split('').join(' ');
const englishList = (words: string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

export const ENGLISH: Locale = {
  knowledgeLanguage: 'en_US',
  speech: {
    voice: { provider: 'vapi', voiceId: 'Elliot' },
    transcriber: { provider: 'deepgram', model: 'nova-2', language: 'en' },
  },
  sentences: {
    digits,
    list: englishList,
    defaultCompanyName: 'our support team',

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
      verificationPrompt:
        'If a tool says it must first confirm who the caller is, offer to text a code to the phone number on their account. When they agree, use sendVerificationCode; pass the digits they read out to verifyCaller; once verified, try their request again. Never read a code aloud yourself, and never send a code to a number the caller gives you.',
      lateRecognised: (firstName) =>
        `Update: the caller is probably ${firstName}, recognised from their phone number, which anyone can fake. You may greet them by name at a natural moment; do not share any of their records until a tool confirms it may.`,
    },

    whileTools: {
      byTool: {
        createSalesforceCase: {
          start: 'Let me open that case for you.',
          delayed: 'I am still opening your case. Thank you for waiting.',
          failed: `I couldn't confirm that the case was opened. Shall I try again? ${OFFER_COLLEAGUE}`,
        },
        lookupCase: {
          start: 'Let me look up that case.',
          delayed: 'I am still looking up your case. It will be just a moment.',
          failed: `I couldn't look up that case just now. ${TRY_LATER}`,
        },
        addCaseComment: {
          start: 'Let me add that to your case.',
          delayed: 'I am still adding your comment. Thank you for waiting.',
          failed: "I couldn't confirm that your comment was added. Shall I try again?",
        },
        updateContact: {
          start: 'Let me update your details.',
          delayed: 'I am still saving your details. It will be just a moment.',
          failed: "I couldn't confirm that your details were saved. Shall I try again?",
        },
        sendVerificationCode: {
          start: 'Let me text you a code.',
          delayed: 'I am still sending the code. It will be just a moment.',
          failed: `I couldn't send a code just now. ${OFFER_COLLEAGUE}`,
        },
        verifyCaller: {
          start: 'Let me check that code.',
          delayed: 'I am still checking the code. Thank you for waiting.',
          failed: "I couldn't check the code just now. Could you read it to me once more?",
        },
        searchKnowledge: {
          start: 'Let me look that up in our help articles.',
          delayed: 'I am still looking through our help articles. Thank you for waiting.',
          failed: `I couldn't search our help articles just now. ${OFFER_COLLEAGUE}`,
        },
      },
      other: {
        start: 'One moment while I check that.',
        delayed: 'I am still working on it. Thank you for waiting.',
        failed: `Something went wrong on our side. ${TRY_LATER}`,
      },
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
        return `Case ${digits(caseNumber)}${about} is ${status.toLowerCase()}.`;
      },
      noneOpen: 'You have no open cases at the moment.',
      oneOpen: 'You have one open case.',
      someOpen: (count) => `Your ${count} most recent open cases:`,
      notFound: (caseNumber) =>
        `I couldn't find case ${digits(caseNumber)} on your account. Could you check the number?`,
      onlyForRecognisedCallers:
        'For your privacy I can only discuss existing cases when you call from the phone number on your account. I can open a new case, or transfer you to a colleague.',
      askAccountNumber: 'Could you tell me your account number?',
      accountNotFound: (accountNumber) =>
        `I couldn't find an account with the number ${digits(accountNumber)}. Could you check it and tell me again?`,
      opened: (caseNumber, issueType) =>
        `I've opened case ${digits(caseNumber)} for your ${ISSUE_WORDS[issueType]} issue.`,
      alreadyOpened: (caseNumber) => `I've already opened case ${digits(caseNumber)} for that.`,
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
      added: (caseNumber) => `I've added your comment to case ${digits(caseNumber)}.`,
      alreadyAdded: (caseNumber) => `I've already added that comment to case ${digits(caseNumber)}.`,
      queued: (caseNumber) =>
        `I've noted your comment, and it will be added to case ${digits(caseNumber)} shortly.`,
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
        `I've texted a code to the phone number on your account ending in ${digits(lastDigits)}. Please read it to me when it arrives.`,
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
      warmBriefing: ({ firstName, assurance, casesOpened }) => {
        const who =
          assurance === 'verified'
            ? `${firstName ?? 'a customer'} on the line, who confirmed their identity with a code`
            : assurance === 'recognised'
              ? `${firstName ?? 'a customer'} on the line, recognised from their phone number but not verified`
              : 'a caller on the line whom we could not identify';
        const cases =
          casesOpened.length === 0
            ? 'No case was opened in this call.'
            : casesOpened.length === 1
              ? `They opened case ${digits(casesOpened[0])} in this call.`
              : `They opened cases ${englishList(casesOpened.map(digits))} in this call.`;
        return `Hello, this is the support assistant with a transfer. I have ${who}. ${cases} Connecting you now.`;
      },
      warmSummaryInstructions:
        'You brief a human support agent who is about to take over a call. In two or three short sentences say who the caller is (first name only, and whether they were verified), what they need and what was already done, including case numbers read digit by digit. Never include phone numbers, email addresses, codes or card numbers. Return only the briefing.',
      warmNotAnswered:
        "I'm sorry, none of my colleagues could take the call just now. I'm still here: is there anything else I can help you with?",
    },

    knowledge: {
      answer: (title, snippet) => `From our help article "${title}": ${snippet}`,
      noAnswer:
        "I couldn't find an answer to that in our help articles. I can open a case for you, or transfer you to a colleague.",
      unavailable: `I can't look that up in our help articles right now. ${OFFER_COLLEAGUE}`,
      prompt:
        'For a how-to question, use the searchKnowledge tool and answer only from what it returns; if it finds nothing, say so and offer a case or a colleague.',
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
  },
};
