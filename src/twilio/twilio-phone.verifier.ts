import { OnModuleDestroy } from '@nestjs/common';
import { Agent, type Dispatcher } from 'undici';
import { noAnswerError } from '../common/transport-failure';
import { SetupCheckResult, skip } from '../common/setup-check';
import { PhoneVerifier } from './phone-verifier';
import { checkVerifyService, VerifyServiceCheckOptions } from './twilio-setup.check';
import { PhoneVerificationError, PhoneVerificationErrorCode } from './twilio.errors';
import { basicAuthorization, describeTwilioError, postTwilioForm, TwilioAnswer } from './twilio-http';

export interface TwilioPhoneVerifierOptions {
  accountSid: string;
  authToken: string;
  /** The Verify service (`VA…`), created once in the Twilio console. */
  serviceSid: string;
  /** Base URL without trailing slash: `https://verify.twilio.com` or a local fake. */
  apiUrl: string;
  timeoutMs?: number;
  /** For tests; by default the verifier owns a keep-alive agent and closes it on shutdown. */
  dispatcher?: Dispatcher;
}

type Operation = 'sendCode' | 'checkCode';

/** Twilio codes that are answers about this verification rather than failures of the request. */
const CODE_BY_TWILIO_CODE: Record<number, PhoneVerificationErrorCode> = {
  60200: PhoneVerificationErrorCode.INVALID_PARAMETER,
  60202: PhoneVerificationErrorCode.TOO_MANY_CHECKS,
  60203: PhoneVerificationErrorCode.TOO_MANY_SENDS,
  60205: PhoneVerificationErrorCode.NOT_SMS_CAPABLE,
};

/**
 * One-time codes through Twilio Verify v2: `POST /v2/Services/{sid}/Verifications` (To, Channel=sms, Locale) and
 * `POST /v2/Services/{sid}/VerificationCheck` (To, Code), form-encoded with Basic auth. Not retried: a caller
 * is waiting, and a repeated send could cost them one of their five codes per ten minutes.
 */
export class TwilioPhoneVerifier extends PhoneVerifier implements OnModuleDestroy {
  readonly enabled = true;
  private readonly check: Omit<VerifyServiceCheckOptions, 'dispatcher'>;
  private readonly serviceUrl: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: TwilioPhoneVerifierOptions) {
    super();
    this.serviceUrl = `${options.apiUrl}/v2/Services/${encodeURIComponent(options.serviceSid)}`;
    this.authorization = basicAuthorization(options.accountSid, options.authToken);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 8 });
    const { accountSid, authToken, serviceSid, apiUrl } = options;
    this.check = { accountSid, authToken, serviceSid, apiUrl, timeoutMs: this.timeoutMs };
  }

  async checkSetup(): Promise<SetupCheckResult[]> {
    return [await checkVerifyService({ ...this.check, dispatcher: this.dispatcher })];
  }

  /** `Locale` words Verify's own text message (Twilio's default: chosen from the number's country). */
  async sendCode(to: string, language?: string): Promise<void> {
    const form = new URLSearchParams({ To: to, Channel: 'sms', ...(language ? { Locale: language } : {}) });
    await this.post('sendCode', 'Verifications', form);
  }

  async checkCode(to: string, code: string): Promise<boolean> {
    const answer = await this.post(
      'checkCode',
      'VerificationCheck',
      new URLSearchParams({ To: to, Code: code }),
    );
    return answer.body?.status === 'approved' && answer.body.valid === true;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** The one place that talks HTTP to Verify and turns every failure into a `PhoneVerificationError`. */
  private async post(operation: Operation, resource: string, form: URLSearchParams): Promise<TwilioAnswer> {
    let answer: TwilioAnswer;
    try {
      answer = await postTwilioForm({
        url: `${this.serviceUrl}/${resource}`,
        authorization: this.authorization,
        form,
        dispatcher: this.dispatcher,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      throw noAnswerError(error, `Twilio Verify ${operation}`, (kind, message) => {
        return new PhoneVerificationError(PhoneVerificationErrorCode[kind], message, true, { cause: error });
      });
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw verificationError(operation, answer);
  }
}

function verificationError(operation: Operation, answer: TwilioAnswer): PhoneVerificationError {
  const { status } = answer;
  const { twilioCode, describe } = describeTwilioError(answer);
  const error = (code: PhoneVerificationErrorCode, what: string, retryable = false) =>
    new PhoneVerificationError(code, describe(`Twilio Verify ${operation}: ${what}`), retryable, {
      status,
      twilioCode,
    });
  const known = twilioCode === undefined ? undefined : CODE_BY_TWILIO_CODE[twilioCode];
  if (known) return error(known, 'refused');
  if (status === 404 || twilioCode === 20404) {
    // A check finds no pending verification; a send finds no service.
    return operation === 'checkCode'
      ? error(PhoneVerificationErrorCode.NO_PENDING_VERIFICATION, 'no pending verification')
      : error(PhoneVerificationErrorCode.MISCONFIGURED, 'no such Verify service');
  }
  if (status === 429 || twilioCode === 20429) {
    return error(PhoneVerificationErrorCode.RATE_LIMITED, 'rate limit exceeded', true);
  }
  if (status === 401 || status === 403 || twilioCode === 20003) {
    return error(PhoneVerificationErrorCode.AUTH_FAILED, 'credentials refused');
  }
  if (status >= 500) return error(PhoneVerificationErrorCode.UNAVAILABLE, 'unavailable', true);
  return error(PhoneVerificationErrorCode.REJECTED, 'refused');
}

/** Stands in when Twilio Verify is not configured: `enabled` is false, and every call says so. */
export class DisabledPhoneVerifier extends PhoneVerifier {
  readonly enabled = false;

  sendCode(): Promise<void> {
    return Promise.reject(notConfigured());
  }

  checkCode(): Promise<boolean> {
    return Promise.reject(notConfigured());
  }

  checkSetup(): Promise<SetupCheckResult[]> {
    return Promise.resolve([
      skip(
        'Verify service',
        'TWILIO_VERIFY_SERVICE_SID not set: callers cannot be verified by a one-time code',
      ),
    ]);
  }
}

function notConfigured(): PhoneVerificationError {
  return new PhoneVerificationError(
    PhoneVerificationErrorCode.NOT_CONFIGURED,
    'Phone verification is disabled (TWILIO_VERIFY_SERVICE_SID not set)',
    false,
  );
}
