import { normaliseCaseNumber } from './tool-args.dto';

const normalise = (value: unknown) => normaliseCaseNumber({ value });

describe('normaliseCaseNumber', () => {
  it.each([
    ['00001027', '00001027'],
    ['1027', '00001027'],
    [1027, '00001027'],
    ['case 1027', '00001027'],
    ['Case number: 1027', '00001027'],
    ['#1027', '00001027'],
    ['00-001-027', '00001027'],
    ['0 0 0 0 1 0 2 7', '00001027'],
  ])('should read %j as case %s', (spoken, expected) => {
    expect(normalise(spoken)).toBe(expected);
  });

  it.each(['ACME-1001', "x' OR AccountNumber = 'ACME-1001", "\\' OR 1=1 --", 'call me at 5', '12345678901'])(
    'should not make a case number out of %j',
    (spoken) => {
      expect(normalise(spoken)).toBe(spoken);
    },
  );
});
