import { normalisePhone, phoneRegion, storedPhoneMatches } from './phone-numbers';

const US = phoneRegion('US');

describe('normalisePhone', () => {
  it('should read E.164 and national formats into the same number', () => {
    expect(normalisePhone('+14155551212', US)).toEqual({
      e164: '+14155551212',
      national: '4155551212',
      countryCode: '1',
    });
    expect(normalisePhone('(415) 555-1212', US)?.e164).toBe('+14155551212');
  });

  it('should return nothing for text that is not a phone number', () => {
    expect(normalisePhone('anonymous', US)).toBeUndefined();
    expect(normalisePhone('12', US)).toBeUndefined();
  });
});

describe('storedPhoneMatches', () => {
  const caller = normalisePhone('+14155551212', US)!;

  it.each([
    '(415) 555-1212',
    '415.555.1212',
    '+1 415 555 1212',
    '1-415-555-1212',
    '4155551212',
    '001 415 555 1212',
  ])('should match the caller stored as %s', (stored) => {
    expect(storedPhoneMatches(stored, caller, US)).toBe(true);
  });

  it.each(['(415) 555-1213', '555-1212', '+44 415 555 1212', '', null])('should not match %s', (stored) => {
    expect(storedPhoneMatches(stored, caller, US)).toBe(false);
  });

  it('should match a foreign caller stored with a national trunk prefix', () => {
    const london = normalisePhone('+442079460958', US)!;
    expect(storedPhoneMatches('020 7946 0958', london, US)).toBe(true);
    expect(storedPhoneMatches('+44 (0)20 7946 0958', london, phoneRegion('GB'))).toBe(true);
  });
});
