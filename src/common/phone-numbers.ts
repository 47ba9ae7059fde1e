import { CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** A caller's number in the forms we search and compare with. */
export interface NormalisedPhone {
  /** `+14155551212` */
  e164: string;
  /** National significant number, digits only: `4155551212`. */
  national: string;
  /** Country calling code, digits only: `1`. */
  countryCode: string;
}

export function phoneRegion(region: string): CountryCode {
  if (!isSupportedCountry(region)) throw new Error(`unsupported phone region ${region}`);
  return region;
}

/**
 * Parses a number as people and CRMs write it. "Possible" rather than "valid": numbering-plan validity
 * rejects real-looking test ranges (555) and lags behind new ranges; we only need the digits to be right.
 */
export function normalisePhone(input: string, defaultRegion: CountryCode): NormalisedPhone | undefined {
  const parsed = parsePhoneNumberFromString(input, defaultRegion);
  if (!parsed?.isPossible()) return undefined;
  return { e164: parsed.number, national: parsed.nationalNumber, countryCode: parsed.countryCallingCode };
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * Whether a phone stored in Salesforce (any format, with or without country code or trunk prefix) is the
 * caller's number. Runs on search results, so a loose search (LIKE on the digits in order) never yields a
 * wrong match.
 */
export function storedPhoneMatches(
  stored: string | null | undefined,
  caller: NormalisedPhone,
  defaultRegion: CountryCode,
): boolean {
  if (!stored) return false;
  if (normalisePhone(stored, defaultRegion)?.e164 === caller.e164) return true;
  const digits = digitsOf(stored);
  const { national, countryCode } = caller;
  // Formats the parser may read with the wrong region: national with trunk 0, international with 00/011.
  return [national, `0${national}`, `${countryCode}${national}`, `00${countryCode}${national}`]
    .concat(`011${countryCode}${national}`)
    .includes(digits);
}

/**
 * Phone numbers read with the deployment's region (`DEFAULT_PHONE_REGION`, for numbers written without a
 * country code): the one normaliser every module uses, so one number is never read two ways in one call.
 */
export class PhoneNumbers {
  readonly region: CountryCode;

  constructor(region: string) {
    this.region = phoneRegion(region);
  }

  normalise(input: string | undefined): NormalisedPhone | undefined {
    return input ? normalisePhone(input, this.region) : undefined;
  }

  /** E.164 form, or undefined (withheld numbers, SIP URIs, garbage). */
  toE164(input: string | undefined): string | undefined {
    return this.normalise(input)?.e164;
  }

  /** Whether a number stored in any format is the caller's. */
  storedMatches(stored: string | null | undefined, caller: NormalisedPhone): boolean {
    return storedPhoneMatches(stored, caller, this.region);
  }
}
