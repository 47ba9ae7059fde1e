import fc from 'fast-check';
import pino from 'pino';
import { REDACTED_PATHS, REDACTION_CENSOR, redactFields, scrubText } from './log-redaction';

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

describe('redactFields', () => {
  const NAMES = [
    'req',
    'res',
    'headers',
    'authorization',
    'x-vapi-secret',
    'set-cookie',
    'cookie',
    'phone',
    'to',
    'email',
    'transcript',
    'secret',
    'token',
    'call',
    'customer',
    'status',
    'id',
  ];
  const leaf = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('tree'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...NAMES), tie('tree'), { maxKeys: 5 }),
    ),
  }));
  const fields = fc.dictionary(fc.constantFrom(...NAMES), tree, { maxKeys: 6 });

  /** The line a logger writes for `object`, without the fields that change from line to line. */
  function lineOf(options: pino.LoggerOptions, object: Record<string, unknown>): unknown {
    const lines: string[] = [];
    pino(
      { ...options, base: undefined, timestamp: false },
      { write: (line: string) => lines.push(line) },
    ).info(object);
    return JSON.parse(lines[0]);
  }

  it("should censor exactly what pino's redact option censors, and leave the caller's object as it was", () => {
    fc.assert(
      fc.property(fields, (object) => {
        const before = JSON.stringify(object);
        const ours = lineOf({ formatters: { log: (given) => redactFields(given, new Set()) } }, object);
        expect(JSON.stringify(object)).toBe(before);
        expect(ours).toEqual(lineOf({ redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR } }, object));
      }),
      { numRuns: 500 },
    );
  });

  it('should censor the signature headers of a request and any phone one level down', () => {
    const line = lineOf(
      { formatters: { log: (given) => redactFields(given, new Set()) } },
      {
        req: { headers: { 'x-vapi-signature': 'sig', host: 'h' } },
        call: { customer: 'c', phone: '+14155550100' },
        phone: 'top-level names are not redacted paths',
      },
    );
    expect(line).toMatchObject({
      req: { headers: { 'x-vapi-signature': REDACTION_CENSOR, host: 'h' } },
      call: { customer: 'c', phone: REDACTION_CENSOR },
    });
  });
});
