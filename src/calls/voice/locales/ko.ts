import { KOREAN_DIGIT_WORDS } from '../../../common/spoken-digits';
import { SalesforceErrorCode } from '../../../salesforce/salesforce.errors';
import { IssueType } from '../../../salesforce/salesforce.types';
import { PhoneVerificationErrorCode, TwilioErrorCode } from '../../../twilio/twilio.errors';
import { VapiErrorCode } from '../../../vapi/vapi.errors';
import type { Locale } from '../sentences';

/**
 * Digits as Sino-Korean words, one by one, zero as 공 (the way Koreans read phone, account and case numbers):
 * written as digits, a Korean voice reads "1027" as 천이십칠 and may pick native or English words for single
 * digits; written as Hangul words, every voice says 공 공 일 공 이 칠.
 */
const list = (words: string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} 및 ${words[words.length - 1]}`;
const digits = (value: string): string =>
  value
    .split('')
    .map((digit) => (/\d/.test(digit) ? KOREAN_DIGIT_WORDS[Number(digit)] : digit))
    .join(' ');

/** Whether the last Hangul syllable of `word` ends in a consonant (받침), which chooses the particle. */
function endsInConsonant(word: string): boolean {
  const code = word.trim().charCodeAt(word.trim().length - 1);
  return code >= 0xac00 && code <= 0xd7a3 && (code - 0xac00) % 28 !== 0;
}
/** 을/를 after a noun. */
const object = (word: string): string => `${word}${endsInConsonant(word) ? '을' : '를'}`;
/** 이/가 after a noun. */
const subject = (word: string): string => `${word}${endsInConsonant(word) ? '이' : '가'}`;

const TRY_LATER = '잠시 후에 다시 시도해 주시거나, 상담원 연결을 요청해 주세요.';
const TEXT_LATER = '문자 메시지를 아직 보내지 못했습니다. 곧 보내 드리겠습니다.';
const NOTE_IT_DOWN = '지금 메모해 주세요.';
const OFFER_COLLEAGUE = '도와드릴 수 있는 상담원에게 연결해 드릴 수 있습니다.';
const WRONG_CODE = '코드가 일치하지 않습니다. 문자 메시지를 확인하시고 숫자를 다시 읽어 주세요.';
const NO_CODES = `지금은 이 전화로 인증 코드를 보내 드릴 수 없습니다. ${OFFER_COLLEAGUE}`;
const VERIFY_LATER =
  '지금 인증 서비스에 연결하지 못했습니다. 잠시 후에 다시 시도해 주시거나, 상담원에게 연결해 드릴 수 있습니다.';

const ISSUE_WORDS: Record<IssueType, string> = {
  billing: '요금',
  technical: '기술',
  account: '계정',
};

/** Salesforce's standard Case statuses; a status of the org's own is read as it is. */
const STATUS_WORDS: Record<string, string> = {
  new: '접수',
  working: '처리 중',
  escalated: '상위 부서 이관',
  'on hold': '보류',
  closed: '종료',
};

export const KOREAN: Locale = {
  knowledgeLanguage: 'ko',
  // Deepgram's nova-2 transcribes Korean (`ko` in the transcriber's language enum); Azure's Korean neural voice.
  speech: {
    voice: { provider: 'azure', voiceId: 'ko-KR-SunHiNeural' },
    transcriber: { provider: 'deepgram', model: 'nova-2', language: 'ko' },
  },
  sentences: {
    digits,
    list,
    defaultCompanyName: '고객센터',

    assistant: {
      systemPrompt: (company) =>
        [
          `당신은 ${company}의 전화 상담원입니다. 항상 한국어로, 존댓말로 말하세요. 발신자는 듣기만 할 수 있으니 짧고 친절하고 분명하게 말하세요.`,
          '케이스를 만들거나, 메모를 추가하거나, 연락처를 바꾸기 전에는 무엇을 할지 다시 말하고 발신자가 확인할 때까지 기다리세요.',
          '발신자 본인의 케이스에 대해서만 이야기하세요. 도구가 케이스를 찾을 수 없다거나 알려 줄 수 없다고 하면 그대로 전하고, 케이스 정보를 추측하거나 지어내지 마세요.',
          '케이스 번호는 한 자리씩, 공, 일, 이, 삼처럼 읽으세요. 이메일 주소나 전화번호 전체를 읽어 주지 마세요.',
          '발신자가 사람과의 통화를 원하거나 도와드릴 수 없을 때는 transferCall 도구를 사용하세요.',
          '도구 이름과 인수는 영어 그대로 두세요(예: issueType은 billing, technical, account 중 하나). 발신자에게는 한국어로만 말하세요.',
          '도구가 답하면 사실을 덧붙이지 말고 그 답을 자연스러운 한국어로 전하세요.',
        ].join('\n'),
      knownCaller: (firstName, openCases) =>
        `발신자는 전화번호로 확인된 ${firstName}님입니다. 진행 중인 케이스: ${openCases}`,
      knownCallerWithoutCases: (firstName) =>
        `발신자는 전화번호로 확인된 ${firstName}님입니다. 진행 중인 케이스는 없습니다.`,
      knownCallerCasesAfterVerification: (firstName) =>
        `발신자는 아마 ${firstName}님입니다. 전화번호가 일치하지만 전화번호는 누구나 위조할 수 있습니다. 케이스 정보는 발신자가 인증 코드로 본인임을 확인한 뒤에만 알려 줄 수 있습니다.`,
      unknownCaller:
        '발신자를 전화번호로 확인하지 못했습니다. 케이스를 만들기 전에 고객 번호를 물어보고, 기존 케이스에 대해서는 이야기하지 마세요.',
      greetKnown: (firstName, company, openCaseCount) =>
        `${firstName}님, 안녕하세요. ${company}에 전화해 주셔서 감사합니다.${
          openCaseCount > 0 ? ` 진행 중인 문의가 ${openCaseCount}건 있습니다.` : ''
        } 무엇을 도와드릴까요?`,
      greetUnknown: (company) => `${company}에 전화해 주셔서 감사합니다. 무엇을 도와드릴까요?`,
      goodbye: (company) => `${company}에 전화해 주셔서 감사합니다. 안녕히 계세요.`,
      verificationPrompt:
        '도구가 먼저 발신자 본인 확인이 필요하다고 하면, 계정에 등록된 전화번호로 코드를 문자로 보내 드리겠다고 제안하세요. 발신자가 동의하면 sendVerificationCode를 사용하고, 발신자가 읽어 준 숫자를 verifyCaller에 전달하세요. 확인되면 요청을 다시 시도하세요. 코드를 직접 소리 내어 읽지 말고, 발신자가 알려 준 번호로는 절대 코드를 보내지 마세요.',
      lateRecognised: (firstName) =>
        `업데이트: 발신자는 아마 ${firstName}님입니다. 전화번호로 확인했지만 전화번호는 누구나 위조할 수 있습니다. 자연스러운 때에 이름으로 인사해도 되지만, 도구가 허용하기 전에는 고객님의 기록을 하나도 알려 주지 마세요.`,
    },

    whileTools: {
      byTool: {
        createSalesforceCase: {
          start: '문의를 접수해 드리겠습니다.',
          delayed: '아직 접수하고 있습니다. 잠시만 기다려 주세요.',
          failed: `문의가 접수되었는지 확인하지 못했습니다. 다시 시도해 볼까요? ${OFFER_COLLEAGUE}`,
        },
        lookupCase: {
          start: '문의 내역을 찾아보겠습니다.',
          delayed: '아직 찾고 있습니다. 잠시만 기다려 주세요.',
          failed: `지금은 문의 내역을 찾지 못했습니다. ${TRY_LATER}`,
        },
        addCaseComment: {
          start: '말씀하신 내용을 문의에 추가하겠습니다.',
          delayed: '아직 추가하고 있습니다. 잠시만 기다려 주세요.',
          failed: '메모가 추가되었는지 확인하지 못했습니다. 다시 시도해 볼까요?',
        },
        updateContact: {
          start: '연락처 정보를 변경하겠습니다.',
          delayed: '아직 저장하고 있습니다. 잠시만 기다려 주세요.',
          failed: '연락처가 저장되었는지 확인하지 못했습니다. 다시 시도해 볼까요?',
        },
        sendVerificationCode: {
          start: '인증 코드를 문자로 보내 드리겠습니다.',
          delayed: '아직 코드를 보내고 있습니다. 잠시만 기다려 주세요.',
          failed: `지금은 코드를 보내지 못했습니다. ${OFFER_COLLEAGUE}`,
        },
        verifyCaller: {
          start: '코드를 확인하겠습니다.',
          delayed: '아직 코드를 확인하고 있습니다. 잠시만 기다려 주세요.',
          failed: '지금은 코드를 확인하지 못했습니다. 한 번 더 읽어 주시겠어요?',
        },
        searchKnowledge: {
          start: '도움말 문서에서 찾아보겠습니다.',
          delayed: '아직 도움말 문서를 찾고 있습니다. 잠시만 기다려 주세요.',
          failed: `지금은 도움말 문서를 검색하지 못했습니다. ${OFFER_COLLEAGUE}`,
        },
      },
      other: {
        start: '잠시만 기다려 주세요. 확인해 보겠습니다.',
        delayed: '아직 처리하고 있습니다. 잠시만 기다려 주세요.',
        failed: `저희 쪽에 문제가 생겼습니다. ${TRY_LATER}`,
      },
    },

    failures: {
      salesforce: {
        [SalesforceErrorCode.AUTH_FAILED]: `지금은 고객 정보 시스템에 연결할 수 없습니다. ${TRY_LATER}`,
        [SalesforceErrorCode.SESSION_EXPIRED]: `방금 고객 정보 시스템과의 연결이 끊어졌습니다. ${TRY_LATER}`,
        [SalesforceErrorCode.RATE_LIMITED]: `지금 고객 정보 시스템이 매우 바쁩니다. ${TRY_LATER}`,
        [SalesforceErrorCode.UNAVAILABLE]: `지금 고객 정보 시스템이 응답하지 않습니다. ${TRY_LATER}`,
        [SalesforceErrorCode.TIMEOUT]: `고객 정보 시스템의 응답이 너무 늦어지고 있습니다. ${TRY_LATER}`,
        [SalesforceErrorCode.NOT_FOUND]:
          '해당 기록을 찾지 못했습니다. 번호를 확인하시고 다시 말씀해 주시겠어요?',
        [SalesforceErrorCode.VALIDATION]:
          '고객 정보 시스템이 그 내용을 받아들이지 않았습니다. 조금 다르게 다시 말씀해 주시겠어요?',
        // Says nothing about which record it matched: that would tell a caller whose details exist.
        [SalesforceErrorCode.DUPLICATES_DETECTED]:
          '고객 정보 시스템이 다른 기록과 중복일 수 있다고 판단해서 저장하지 않았습니다. 상담원이 해결해 드릴 수 있습니다. 연결해 드릴까요?',
        [SalesforceErrorCode.MISCONFIGURED]: `저희 쪽 설정 문제로 지금은 이 전화에서 처리할 수 없습니다. ${TRY_LATER}`,
        [SalesforceErrorCode.UNKNOWN]: `저희 쪽에 문제가 생겼습니다. ${TRY_LATER}`,
      },
      twilio: {
        [TwilioErrorCode.RATE_LIMITED]: TEXT_LATER,
        [TwilioErrorCode.INVALID_RECIPIENT]: `이 번호로는 문자 메시지를 보낼 수 없으니, ${NOTE_IT_DOWN}`,
        [TwilioErrorCode.AUTH_FAILED]: `지금은 문자 메시지를 보낼 수 없으니, ${NOTE_IT_DOWN}`,
        [TwilioErrorCode.UNAVAILABLE]: TEXT_LATER,
        [TwilioErrorCode.TIMEOUT]: TEXT_LATER,
        [TwilioErrorCode.REJECTED]: `이 번호로는 문자 메시지를 보낼 수 없으니, ${NOTE_IT_DOWN}`,
        [TwilioErrorCode.NOT_CONFIGURED]: `이 전화에서는 문자 메시지를 보낼 수 없으니, ${NOTE_IT_DOWN}`,
      },
      verification: {
        [PhoneVerificationErrorCode.INVALID_PARAMETER]: `계정에 등록된 번호로 코드를 보낼 수 없습니다. ${OFFER_COLLEAGUE}`,
        [PhoneVerificationErrorCode.NOT_SMS_CAPABLE]: `계정에 등록된 번호는 문자 메시지를 받을 수 없어서 코드를 보내 드릴 수 없습니다. ${OFFER_COLLEAGUE}`,
        [PhoneVerificationErrorCode.TOO_MANY_SENDS]:
          '이미 여러 번 코드를 보내 드렸습니다. 마지막으로 받으신 코드를 읽어 주시거나, 상담원에게 연결해 드릴 수 있습니다.',
        [PhoneVerificationErrorCode.TOO_MANY_CHECKS]: `보안을 위해 이번 통화에서는 더 이상 코드를 확인할 수 없습니다. ${OFFER_COLLEAGUE}`,
        [PhoneVerificationErrorCode.NO_PENDING_VERIFICATION]: WRONG_CODE,
        [PhoneVerificationErrorCode.MISCONFIGURED]: NO_CODES,
        [PhoneVerificationErrorCode.AUTH_FAILED]: NO_CODES,
        [PhoneVerificationErrorCode.NOT_CONFIGURED]: NO_CODES,
        [PhoneVerificationErrorCode.RATE_LIMITED]: VERIFY_LATER,
        [PhoneVerificationErrorCode.UNAVAILABLE]: VERIFY_LATER,
        [PhoneVerificationErrorCode.TIMEOUT]: VERIFY_LATER,
        [PhoneVerificationErrorCode.REJECTED]: `계정에 등록된 번호로 코드를 보내지 못했습니다. ${OFFER_COLLEAGUE}`,
      },
      frontDoor: {
        [VapiErrorCode.UNKNOWN_TOOL]:
          '죄송합니다. 이 전화에서는 그 일을 처리할 수 없습니다. 다른 도움이 필요하신가요?',
        [VapiErrorCode.INVALID_ARGUMENTS]: '잘 알아듣지 못했습니다. 다시 한 번 말씀해 주시겠어요?',
        [VapiErrorCode.INTERNAL]: `죄송합니다. 저희 쪽에 문제가 생겼습니다. ${TRY_LATER}`,
        [VapiErrorCode.TOO_MANY_TOOL_CALLS]:
          '죄송합니다. 한 번에 처리하기에는 요청이 너무 많습니다. 하나씩 차례로 말씀해 주시겠어요?',
        // The tool may still finish (a write it accepted is kept), so nothing here says it failed or will follow.
        [VapiErrorCode.TOOL_DEADLINE]: `죄송합니다. 시스템 응답이 늦어 지금은 확인해 드릴 수 없습니다. ${TRY_LATER}`,
      },
    },

    questions: {
      byTool: {
        createSalesforceCase: { subject: '문의 내용을 짧은 제목으로 말씀해 주시겠어요?' },
        lookupCase: { caseNumber: '접수 번호를 한 자리씩 읽어 주시겠어요?' },
        addCaseComment: {
          caseNumber: '어떤 문의에 대한 내용인가요? 접수 번호를 읽어 주시겠어요?',
          comment: '문의에 어떤 내용을 추가할까요?',
        },
        updateContact: {
          email: '이메일 주소가 올바르지 않은 것 같습니다. 철자를 하나씩 불러 주시겠어요?',
          phone: '전화번호가 올바르지 않은 것 같습니다. 한 자리씩 다시 말씀해 주시겠어요?',
          mobilePhone: '휴대폰 번호가 올바르지 않은 것 같습니다. 한 자리씩 다시 말씀해 주시겠어요?',
        },
        verifyCaller: { code: '문자 메시지로 받으신 코드를 한 자리씩 읽어 주시겠어요?' },
      },
      byArgument: {
        accountNumber: '고객 번호를 말씀해 주시겠어요?',
        issueType: '요금 문제인가요, 기술 문제인가요, 아니면 계정 문제인가요?',
        description: '어떤 문제인지 한두 문장으로 설명해 주시겠어요?',
        priority: '얼마나 급한 문제인가요? 낮음, 보통, 높음 중에서 말씀해 주세요.',
      },
      // The argument's name is English (an API name): the question does not read it out.
      generic: () => '필요한 정보를 한 번 더 말씀해 주시겠어요?',
    },

    cases: {
      status: ({ caseNumber, status, subject }) => {
        const about = subject ? ` "${subject.slice(0, 80)}" 건은` : '은';
        const state = STATUS_WORDS[status.toLowerCase()] ?? status;
        return `접수 번호 ${digits(caseNumber)} 번${about} 현재 ${state} 상태입니다.`;
      },
      noneOpen: '지금 진행 중인 문의는 없습니다.',
      oneOpen: '진행 중인 문의가 한 건 있습니다.',
      someOpen: (count) => `가장 최근의 진행 중인 문의 ${count}건입니다.`,
      notFound: (caseNumber) =>
        `고객님 계정에서 접수 번호 ${digits(caseNumber)} 번을 찾지 못했습니다. 번호를 확인해 주시겠어요?`,
      onlyForRecognisedCallers:
        '개인 정보 보호를 위해 기존 문의는 계정에 등록된 전화번호로 전화하셨을 때만 안내해 드릴 수 있습니다. 새 문의를 접수해 드리거나 상담원에게 연결해 드릴 수 있습니다.',
      askAccountNumber: '고객 번호를 말씀해 주시겠어요?',
      accountNotFound: (accountNumber) =>
        `고객 번호 ${digits(accountNumber)} 번으로 된 계정을 찾지 못했습니다. 확인하시고 다시 말씀해 주시겠어요?`,
      opened: (caseNumber, issueType) =>
        `${ISSUE_WORDS[issueType]} 문의를 접수했습니다. 접수 번호는 ${digits(caseNumber)} 번입니다.`,
      alreadyOpened: (caseNumber) => `그 내용은 이미 접수 번호 ${digits(caseNumber)} 번으로 접수했습니다.`,
      willText: ' 접수 번호는 문자로도 보내 드리겠습니다.',
      queuedWillText:
        '요청을 기록했습니다. 지금 시스템이 느려서, 접수 번호는 잠시 후 문자로 보내 드리겠습니다.',
      queuedColleagueWillFollowUp:
        '요청을 기록했습니다. 지금 시스템이 느려서, 상담원이 접수 번호를 따로 안내해 드리겠습니다.',
      refused:
        '죄송합니다. 고객 정보 시스템이 이 문의를 받아들이지 않았습니다. 문제를 몇 마디로 다시 설명해 주시겠어요?',
      defaultSubject: { billing: '요금 문의', technical: '기술 문의', account: '계정 문의' },
    },

    comments: {
      added: (caseNumber) => `접수 번호 ${digits(caseNumber)} 번에 말씀하신 내용을 추가했습니다.`,
      alreadyAdded: (caseNumber) => `그 내용은 이미 접수 번호 ${digits(caseNumber)} 번에 추가했습니다.`,
      queued: (caseNumber) =>
        `말씀하신 내용을 기록했습니다. 곧 접수 번호 ${digits(caseNumber)} 번에 추가됩니다.`,
      refused:
        '죄송합니다. 고객 정보 시스템이 이 메모를 받아들이지 않았습니다. 조금 다르게 다시 말씀해 주시겠어요?',
    },

    contact: {
      onlyForRecognisedCallers:
        '연락처 정보는 계정에 등록된 전화번호로 전화하셨을 때만 변경해 드릴 수 있습니다. 도와드릴 수 있는 상담원에게 연결해 드릴 수 있습니다.',
      fieldWords: {
        email: '이메일 주소',
        phone: '전화번호',
        mobilePhone: '휴대폰 번호',
        mailingStreet: '도로명 주소',
        mailingCity: '도시',
        mailingState: '시도',
        mailingPostalCode: '우편번호',
        mailingCountry: '국가',
      },
      invalidPhone: (field) =>
        `${subject(field)} 올바르지 않은 것 같습니다. 한 자리씩 다시 말씀해 주시겠어요?`,
      nothingToUpdate: '무엇을 변경할까요? 이메일, 전화번호, 주소 중에서 말씀해 주세요.',
      updated: (fields) => `${object(fields)} 변경했습니다.`,
      alreadyUpdated: (fields) => `${object(fields)} 이미 변경했습니다.`,
      queued: (fields) => `${fields} 변경 요청을 기록했습니다. 곧 저장됩니다.`,
      refused: (fields) =>
        `죄송합니다. 고객 정보 시스템이 이 ${object(fields)} 받아들이지 않았습니다. 확인하시고 다시 말씀해 주시겠어요?`,
    },

    verification: {
      required:
        '보안을 위해 먼저 본인 확인이 필요합니다. 계정에 등록된 전화번호로 코드를 문자로 보내 드릴 수 있습니다. 보내 드릴까요?',
      requiredButUnverifiable: `보안을 위해 본인 확인 후에만 처리할 수 있는데, 이번 통화에서는 본인 확인을 할 수 없습니다. ${OFFER_COLLEAGUE}`,
      unavailable: NO_CODES,
      onlyForRecognisedCallers: `코드는 계정에 등록된 전화번호로만 보낼 수 있는데, 지금 전화하신 번호와 일치하는 계정을 찾지 못했습니다. ${OFFER_COLLEAGUE}`,
      noNumberOnFile: `계정에 문자로 코드를 받을 수 있는 번호가 없습니다. ${OFFER_COLLEAGUE}`,
      codeSent: (lastDigits) =>
        `계정에 등록된 전화번호로 코드를 문자로 보내 드렸습니다. 번호 끝자리는 ${digits(lastDigits)} 입니다. 코드가 도착하면 읽어 주세요.`,
      sendCodeFirst: '아직 코드를 보내 드리지 않았습니다. 계정에 등록된 전화번호로 보내 드릴까요?',
      verified: '감사합니다. 본인 확인이 되었습니다.',
      alreadyVerified: '이번 통화에서는 이미 본인 확인이 되었습니다.',
      wrongCode: WRONG_CODE,
      wrongCodeLocked: `코드가 일치하지 않습니다. 보안을 위해 이번 통화에서는 더 이상 코드를 확인할 수 없습니다. ${OFFER_COLLEAGUE}`,
      locked: `보안을 위해 이번 통화에서는 더 이상 코드를 확인할 수 없습니다. ${OFFER_COLLEAGUE}`,
    },

    transfer: {
      connecting: '지금 상담원에게 연결해 드리겠습니다. 끊지 말고 기다려 주세요.',
      unavailable: '지금은 이 전화에서 상담원 연결을 할 수 없습니다.',
      fallback:
        '지금은 자동 상담이 전화를 받을 수 없어 상담원에게 연결해 드리겠습니다. 끊지 말고 기다려 주세요.',
      warmBriefing: ({ firstName, assurance, casesOpened }) => {
        const who =
          assurance === 'verified'
            ? `${firstName ?? '고객'}님이며, 인증 코드로 본인 확인을 마쳤습니다`
            : assurance === 'recognised'
              ? `${firstName ?? '고객'}님이며, 전화번호로 확인했지만 본인 인증은 하지 않았습니다`
              : '신원을 확인하지 못한 분입니다';
        const cases =
          casesOpened.length === 0
            ? '이번 통화에서 접수된 문의는 없습니다.'
            : `이번 통화에서 접수 번호 ${list(casesOpened.map(digits))} 번이 접수되었습니다.`;
        return `안녕하세요, 자동 상담에서 전화를 연결해 드립니다. 연결할 발신자는 ${who}. ${cases} 지금 연결하겠습니다.`;
      },
      warmSummaryInstructions:
        '곧 통화를 넘겨받을 상담원에게 브리핑을 합니다. 한국어로 두세 문장만, 발신자가 누구인지(이름만, 본인 인증 여부 포함), 무엇이 필요한지, 이미 처리된 내용(접수 번호는 한 자리씩)을 말하세요. 전화번호, 이메일 주소, 인증 코드, 카드 번호는 절대 넣지 마세요. 브리핑만 답하세요.',
      warmNotAnswered:
        '죄송합니다. 지금은 상담원이 전화를 받을 수 없습니다. 저는 계속 통화 중입니다. 다른 도와드릴 일이 있을까요?',
    },

    knowledge: {
      answer: (title, snippet) => `도움말 문서 "${title}"의 내용입니다. ${snippet}`,
      noAnswer:
        '도움말 문서에서 그에 대한 답을 찾지 못했습니다. 문의를 접수해 드리거나 상담원에게 연결해 드릴 수 있습니다.',
      unavailable: `지금은 도움말 문서를 찾아볼 수 없습니다. ${OFFER_COLLEAGUE}`,
      prompt:
        '사용 방법에 관한 질문에는 searchKnowledge 도구를 사용하고, 도구가 돌려준 내용만으로 답하세요. 찾은 것이 없으면 그렇다고 말하고 문의 접수나 상담원 연결을 제안하세요.',
    },

    // Written text: digits stay digits.
    sms: {
      caseOpened: (caseNumber, company) =>
        `[${company}] 문의가 접수되었습니다. 접수 번호: ${caseNumber}. 이 문의로 전화하실 때 이 번호를 알려 주세요.`,
      contactChanged: (company, when) =>
        `[${company}] ${when.getUTCFullYear()}년 ${when.getUTCMonth() + 1}월 ${when.getUTCDate()}일 ${String(
          when.getUTCHours(),
        ).padStart(
          2,
          '0',
        )}:${String(when.getUTCMinutes()).padStart(2, '0')}(UTC) 통화 중에 계정의 연락처 정보가 변경되었습니다. 본인이 아니라면 저희에게 전화해 주세요.`,
    },
  },
};
