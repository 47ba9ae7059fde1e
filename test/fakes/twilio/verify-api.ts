import { randomBytes, randomInt } from 'node:crypto';

/**
 * Twilio Verify v2 as the fake answers it (https://www.twilio.com/docs/verify/api; vendor facts as of 2026):
 * `POST /v2/Services/{ServiceSid}/Verifications` (form `To`, `Channel`, optional `Locale`) starts a verification and texts a
 * code (201, `status: pending`); starting again while one is pending sends the same code again, at most 5
 * sends per 10 minutes (then 429 / 60203). `POST /v2/Services/{ServiceSid}/VerificationCheck` (form `To` or
 * `VerificationSid`, and `Code`) answers 200 with `status: approved, valid: true` for the right code and
 * `status: pending, valid: false` for a wrong one; after 5 wrong checks it answers 429 / 60202. A check with no
 * pending verification (never started, expired after 10 minutes, already approved) is 404 / 20404. Invalid
 * parameters are 400 / 60200; SMS to a landline 400 / 60205.
 */

export interface TwilioFakeVerification {
  sid: string;
  serviceSid: string;
  to: string;
  channel: string;
  /** `Locale` of the last send: the language Verify words its text in (unset: from the number's country). */
  locale?: string;
  /** The code texted to `to`: what a test reads out as the caller. */
  code: string;
  status: 'pending' | 'approved' | 'expired' | 'max_attempts_reached';
  sendAttempts: number;
  wrongChecks: number;
  createdAt: number;
}

/** One request to the Verify API, for tests that assert what was (or was not) asked. */
export interface TwilioFakeVerifyRequest {
  operation: 'start' | 'check';
  to?: string;
  status: number;
}

export interface VerifyAnswer {
  status: number;
  body: unknown;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const LIFETIME_MS = 10 * 60_000;
const MAX_SENDS = 5;
const MAX_CHECKS = 5;
const CHANNELS = new Set(['sms', 'call', 'whatsapp', 'email']);

export function twilioErrorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

export class FakeVerifyApi {
  readonly verifications: TwilioFakeVerification[] = [];
  readonly requests: TwilioFakeVerifyRequest[] = [];

  constructor(
    private readonly accountSid: string,
    private readonly serviceSids: string[],
    private readonly now: () => number,
  ) {}

  reset(): void {
    this.verifications.length = 0;
    this.requests.length = 0;
  }

  /**
   * `GET /v2/Services/{ServiceSid}`: the service resource (the fields Twilio documents for "Fetch a Service"), or
   * 404 / 20404 for a service the account does not have.
   */
  fetchService(path: string): VerifyAnswer {
    const match = /^\/v2\/Services\/(VA[0-9a-fA-F]{32})$/.exec(path);
    if (!match || !this.serviceSids.includes(match[1])) {
      return {
        status: 404,
        body: twilioErrorBody(404, 20404, `The requested resource ${path} was not found`),
      };
    }
    const sid = match[1];
    const created = new Date(this.now()).toISOString();
    return {
      status: 200,
      body: {
        sid,
        account_sid: this.accountSid,
        friendly_name: 'voice-crm fake verify service',
        code_length: 6,
        lookup_enabled: false,
        psd2_enabled: false,
        skip_sms_to_landlines: false,
        dtmf_input_required: true,
        tts_name: null,
        do_not_share_warning_enabled: false,
        custom_code_enabled: false,
        date_created: created,
        date_updated: created,
        url: `https://verify.twilio.com/v2/Services/${sid}`,
      },
    };
  }

  /** `path` below the origin, e.g. `/v2/Services/VA…/Verifications`; `params` the form fields. */
  handle(path: string, params: URLSearchParams, landlines: string[]): VerifyAnswer {
    const [, version, services, serviceSid, resource, extra] = path.split('/');
    const operation = resource === 'VerificationCheck' ? 'check' : 'start';
    const answer = (status: number, body: unknown): VerifyAnswer => {
      this.requests.push({ operation, to: params.get('To') ?? undefined, status });
      return { status, body };
    };
    const known =
      version === 'v2' &&
      services === 'Services' &&
      extra === undefined &&
      (resource === 'Verifications' || resource === 'VerificationCheck') &&
      this.serviceSids.includes(serviceSid);
    if (!known) {
      return answer(404, twilioErrorBody(404, 20404, `The requested resource ${path} was not found`));
    }
    this.expire();
    return operation === 'start'
      ? answer(...this.start(serviceSid, params, landlines))
      : answer(...this.check(serviceSid, params));
  }

  private start(serviceSid: string, params: URLSearchParams, landlines: string[]): [number, unknown] {
    const to = params.get('To') ?? '';
    const channel = params.get('Channel') ?? '';
    if (!E164.test(to)) return [400, twilioErrorBody(400, 60200, 'Invalid parameter `To`')];
    if (!CHANNELS.has(channel)) return [400, twilioErrorBody(400, 60200, 'Invalid parameter `Channel`')];
    const locale = params.get('Locale') ?? undefined;
    if (locale !== undefined && !/^[a-z]{2}(-[A-Za-z]{2,4})?$/.test(locale)) {
      return [400, twilioErrorBody(400, 60200, 'Invalid parameter `Locale`')];
    }
    if (channel === 'sms' && landlines.includes(to)) {
      return [400, twilioErrorBody(400, 60205, 'SMS is not supported by landline phone number')];
    }
    let verification = this.pending(serviceSid, to);
    if (verification && verification.sendAttempts >= MAX_SENDS) {
      return [429, twilioErrorBody(429, 60203, 'Max send attempts reached')];
    }
    if (verification) {
      verification.sendAttempts += 1;
      verification.locale = locale;
    } else {
      verification = {
        sid: `VE${randomBytes(16).toString('hex')}`,
        serviceSid,
        to,
        channel,
        locale,
        code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
        status: 'pending',
        sendAttempts: 1,
        wrongChecks: 0,
        createdAt: this.now(),
      };
      this.verifications.push(verification);
    }
    return [201, this.resource(verification)];
  }

  private check(serviceSid: string, params: URLSearchParams): [number, unknown] {
    const to = params.get('To');
    const verificationSid = params.get('VerificationSid');
    const code = params.get('Code') ?? '';
    if (!to && !verificationSid) return [400, twilioErrorBody(400, 60200, 'Invalid parameter `To`')];
    if (!/^\d{4,10}$/.test(code)) return [400, twilioErrorBody(400, 60200, 'Invalid parameter `Code`')];
    const verification = verificationSid
      ? this.verifications.find((item) => item.sid === verificationSid && item.status === 'pending')
      : to
        ? this.pending(serviceSid, to)
        : undefined;
    if (!verification) {
      return [
        404,
        twilioErrorBody(
          404,
          20404,
          `The requested resource /Services/${serviceSid}/VerificationCheck was not found`,
        ),
      ];
    }
    if (verification.wrongChecks >= MAX_CHECKS) {
      verification.status = 'max_attempts_reached';
      return [429, twilioErrorBody(429, 60202, 'Max check attempts reached')];
    }
    if (code === verification.code) verification.status = 'approved';
    else verification.wrongChecks += 1;
    const { sid, to: number, channel, status, createdAt } = verification;
    return [
      200,
      {
        sid,
        service_sid: serviceSid,
        account_sid: this.accountSid,
        to: number,
        channel,
        status,
        valid: status === 'approved',
        amount: null,
        payee: null,
        date_created: new Date(createdAt).toISOString(),
        date_updated: new Date(this.now()).toISOString(),
        sna_attempts_error_codes: [],
      },
    ];
  }

  private pending(serviceSid: string, to: string): TwilioFakeVerification | undefined {
    return this.verifications.find(
      (item) => item.serviceSid === serviceSid && item.to === to && item.status === 'pending',
    );
  }

  private expire(): void {
    const now = this.now();
    for (const item of this.verifications) {
      if (item.status === 'pending' && now - item.createdAt >= LIFETIME_MS) item.status = 'expired';
    }
  }

  private resource(verification: TwilioFakeVerification): Record<string, unknown> {
    const { sid, serviceSid, to, channel, status, sendAttempts, createdAt } = verification;
    const created = new Date(createdAt).toISOString();
    return {
      sid,
      service_sid: serviceSid,
      account_sid: this.accountSid,
      to,
      channel,
      status,
      valid: false,
      lookup: {},
      amount: null,
      payee: null,
      send_code_attempts: Array.from({ length: sendAttempts }, (_, index) => ({
        attempt_sid: `VL${randomBytes(16).toString('hex')}`,
        channel,
        time: index === 0 ? created : new Date(this.now()).toISOString(),
      })),
      date_created: created,
      date_updated: new Date(this.now()).toISOString(),
      sna: null,
      url: `https://verify.twilio.com/v2/Services/${serviceSid}/Verifications/${sid}`,
    };
  }
}
