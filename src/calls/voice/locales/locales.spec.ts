import { SpokenCase } from '../sentences';
import { ASSISTANT_LANGUAGES, LOCALES } from '.';

/**
 * Arguments to call every sentence function with, by its path in the table. A new function without samples
 * fails the walk below, so every sentence of every locale is spoken at least once here.
 */
const SAMPLES: Record<string, unknown[]> = {
  digits: ['00001027'],
  list: [['email', 'phone']],
  'assistant.systemPrompt': ['Acme'],
  'assistant.knownCaller': ['Jane', 'Case 1 is new.'],
  'assistant.knownCallerWithoutCases': ['Jane'],
  'assistant.knownCallerCasesAfterVerification': ['Jane'],
  'assistant.greetKnown': ['Jane', 'Acme', 2],
  'assistant.greetUnknown': ['Acme'],
  'assistant.goodbye': ['Acme'],
  'assistant.lateRecognised': ['Jane'],
  'transfer.warmBriefing': [
    { firstName: 'Jane', assurance: 'verified', casesOpened: ['00001027', '00001028'] },
  ],
  'knowledge.answer': ['Reset your portal password', 'Open the sign-in page and choose Forgot password.'],
  'questions.generic': ['postalCode'],
  'cases.status': [{ caseNumber: '00001027', status: 'Working', subject: 'Router' } satisfies SpokenCase],
  'cases.someOpen': [3],
  'cases.notFound': ['00001027'],
  'cases.accountNotFound': ['ACC-1001'],
  'cases.opened': ['00001027', 'billing'],
  'cases.alreadyOpened': ['00001027'],
  'comments.added': ['00001027'],
  'comments.alreadyAdded': ['00001027'],
  'comments.queued': ['00001027'],
  'contact.invalidPhone': ['phone'],
  'contact.updated': ['email'],
  'contact.alreadyUpdated': ['email'],
  'contact.queued': ['email'],
  'contact.refused': ['email'],
  'verification.codeSent': ['0100'],
  'sms.caseOpened': ['00001027', 'Acme'],
  'sms.contactChanged': ['Acme', new Date('2026-03-04T05:06:00Z')],
};

/** Every sentence of a table, by path: strings as they are, functions spoken with their samples. */
function spoken(table: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof table === 'string') {
    found.set(path, table);
  } else if (typeof table === 'function') {
    const args = SAMPLES[path];
    if (!args) throw new Error(`no sample arguments for the sentence function ${path}`);
    found.set(path, String((table as (...args: unknown[]) => unknown)(...args)));
  } else if (typeof table === 'object' && table !== null) {
    for (const [key, value] of Object.entries(table)) {
      for (const entry of spoken(value, path ? `${path}.${key}` : key)) found.set(...entry);
    }
  } else {
    throw new Error(`${path} is neither a sentence nor a table of them`);
  }
  return found;
}

const english = spoken(LOCALES.en.sentences);
const HANGUL = /[\uac00-\ud7a3]/;

describe('sentence tables', () => {
  it('should speak a sentence for every key, in English', () => {
    expect(english.size).toBeGreaterThan(100);
    for (const [path, sentence] of english) expect([path, sentence.trim().length > 0]).toEqual([path, true]);
  });

  describe.each(ASSISTANT_LANGUAGES.filter((language) => language !== 'en'))('%s', (language) => {
    const sentences = spoken(LOCALES[language].sentences);

    it('should have exactly the sentences of the English table, none of them empty', () => {
      expect([...sentences.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [path, sentence] of sentences) {
        expect([path, sentence.trim().length > 0]).toEqual([path, true]);
      }
    });

    it('should say every sentence in its own words, not the English ones', () => {
      const copied = [...sentences].filter(([path, sentence]) => sentence === english.get(path));
      expect(copied).toEqual([]);
    });
  });

  it('should say every Korean sentence in Hangul', () => {
    const withoutHangul = [...spoken(LOCALES.ko.sentences)].filter(([, sentence]) => !HANGUL.test(sentence));
    expect(withoutHangul).toEqual([]);
  });

  it.each([
    ['en', '0 0 0 0 1 0 2 7'],
    ['ko', '공 공 공 공 일 공 이 칠'],
    ['es', 'cero, cero, cero, cero, uno, cero, dos, siete'],
  ] as const)('should read a case number digit by digit in %s', (language, heard) => {
    expect(LOCALES[language].sentences.digits('00001027')).toBe(heard);
  });

  it('should keep the digits of a case number as digits in a text message', () => {
    for (const language of ASSISTANT_LANGUAGES) {
      expect(LOCALES[language].sentences.sms.caseOpened('00001027', 'Acme')).toContain('00001027');
    }
  });

  it('should choose the Korean particle by the last syllable', () => {
    const { contact } = LOCALES.ko.sentences;
    expect(contact.updated('이메일 주소')).toBe('이메일 주소를 변경했습니다.');
    expect(contact.updated('이름')).toBe('이름을 변경했습니다.');
    expect(contact.invalidPhone('휴대폰 번호')).toMatch(/^휴대폰 번호가 /);
    expect(contact.invalidPhone('연락처 번호판')).toMatch(/^연락처 번호판이 /);
  });
});
