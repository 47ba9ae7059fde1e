import { scrubText } from './log-redaction';

describe('scrubText', () => {
  it.each([
    ['an E.164 number', 'caller +14155550100 matched', '+14155550100'],
    ['a formatted number', 'phone (415) 555-0100 stored', '555-0100'],
    ['a dotted number', 'phone 415.555.0101 stored', '415.555.0101'],
    ['an email', 'email ada@example.com updated', 'ada@example.com'],
    ['a bearer token', 'sent Authorization: Bearer abc.def-ghi', 'abc.def-ghi'],
    [
      'a Salesforce session id',
      'token 00D5g000004ABCD!AQ4AQF9vZs.x was refused',
      '00D5g000004ABCD!AQ4AQF9vZs.x',
    ],
  ])('should mask %s', (_what, text, secret) => {
    expect(scrubText(text)).not.toContain(secret);
  });

  it('should keep case numbers and durations readable', () => {
    expect(scrubText('case 00001027 created in 153 ms')).toBe('case 00001027 created in 153 ms');
  });
});
