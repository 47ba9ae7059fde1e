import { normaliseCaseNumber, normaliseSpokenCode } from './tool-args.dto';

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

describe('normaliseSpokenCode', () => {
  it.each([
    ['482917', '482917'],
    ['4 8 2 9 1 7', '482917'],
    ['482-917', '482917'],
    ['four eight two, nine one seven', '482917'],
    ['Four eight two nine one seven.', '482917'],
    ['oh four double one seven nine', '041179'],
    ['triple 5 two 1 8', '555218'],
    [482917, '482917'],
    ['사 팔 이 구 일 칠', '482917'],
    ['사팔이 구일칠', '482917'],
    ['공 영 일 일 칠 구', '001179'],
    ['cuatro ocho dos, nueve uno siete', '482917'],
  ])('should read %j as the code %s', (spoken, expected) => {
    expect(normaliseSpokenCode({ value: spoken })).toBe(expected);
  });

  it.each(['my code is 482917', 'four eight two nine one toString', 'constructor', '사팔이 구일칠번'])(
    'should leave %j as it is (and let validation ask again)',
    (spoken) => {
      expect(normaliseSpokenCode({ value: spoken })).toBe(spoken);
    },
  );
});
