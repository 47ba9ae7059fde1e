import { noAnswerError } from '../common/transport-failure';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { Agent, type Dispatcher } from 'undici';
import { SetupCheckResult, skip } from '../common/setup-check';
import { OutgoingSms, SentSms, SmsSender } from './sms-sender';
import { TwilioSetupCheck } from './twilio-setup.check';
import { TwilioError, TwilioErrorCode } from './twilio.errors';
import { basicAuthorization, describeTwilioError, postTwilioForm, TwilioAnswer } from './twilio-http';
import { TwilioMetrics } from './twilio.metrics';

/** Twilio refuses longer bodies (error 21617); it counts UTF-16 code units. */
export const SMS_BODY_LIMIT = 1600;

/** Twilio codes that say this destination cannot get our SMS; sending again will not change that. */
const INVALID_RECIPIENT_CODES = new Set([
  21211, // invalid 'To' number
  21217, // number does not appear to be valid
  21265, // 'To' is a short code
  21266, // 'To' and 'From' are the same
  21408, // SMS to the number's region not enabled
  21610, // recipient replied STOP
  21612, // 'To' not reachable via SMS
  21614, // 'To' is not a mobile number
]);

export interface TwilioSmsSenderOptions {
  accountSid: string;
  authToken: string;
  /** Used when set; otherwise `fromNumber` is. One of the two is required. */
  messagingServiceSid?: string;
  fromNumber?: string;
  /** Base URL without trailing slash, e.g. `https://api.twilio.com` or a local fake. */
  apiUrl: string;
  /** Base URL of Messaging Services (`messagingApiUrl`), for the set-up check; default `apiUrl`. */
  messagingApiUrl?: string;
  /** Sent as `StatusCallback` when set. */
  statusCallbackUrl?: string;
  /** Whole-request timeout (connect, headers and body). Default 10 s. */
  timeoutMs?: number;
  /** Backoff for 429 / 20429 only: Twilio did not process those requests, so a retry cannot duplicate a text. */
  rateLimitRetry?: { maxRetries?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** For tests; by default the sender owns a keep-alive agent and closes it on shutdown. */
  dispatcher?: Dispatcher;
}

interface TwilioMessageResource {
  sid: string;
  status: string;
}

/** Sends SMS through Twilio's Messages API (form-encoded POST, Basic auth). Throws `TwilioError` only. */
export class TwilioSmsSender extends SmsSender implements OnModuleDestroy {
  readonly enabled = true;
  private readonly logger = new Logger(TwilioSmsSender.name);
  private readonly messagesUrl: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly rateLimitPolicy: RetryPolicy;

  constructor(
    private readonly options: TwilioSmsSenderOptions,
    private readonly metrics: TwilioMetrics,
  ) {
    super();
    if (!options.messagingServiceSid && !options.fromNumber) {
      throw new Error('TwilioSmsSender needs fromNumber or messagingServiceSid');
    }
    this.messagesUrl = `${options.apiUrl}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
    this.authorization = basicAuthorization(options.accountSid, options.authToken);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 16 });
    const { maxRetries = 3, initialDelayMs = 500, maxDelayMs = 4_000 } = options.rateLimitRetry ?? {};
    this.rateLimitPolicy = retry(
      handleWhen((error) => error instanceof TwilioError && error.code === TwilioErrorCode.RATE_LIMITED),
      // Decorrelated jitter (cockatiel's default generator) spreads replicas that were throttled together.
      {
        maxAttempts: maxRetries,
        backoff: new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: maxDelayMs }),
      },
    );
    this.rateLimitPolicy.onRetry(({ attempt }) =>
      this.logger.warn(`Twilio rate limit (429/20429); retry ${attempt} of ${maxRetries}`),
    );
  }

  async send(message: OutgoingSms): Promise<SentSms> {
    const form = new URLSearchParams({ To: message.to });
    if (this.options.messagingServiceSid) form.set('MessagingServiceSid', this.options.messagingServiceSid);
    else form.set('From', this.options.fromNumber ?? '');
    form.set('Body', truncateSmsBody(message.body));
    if (this.options.statusCallbackUrl) form.set('StatusCallback', this.options.statusCallbackUrl);
    try {
      const created = await this.rateLimitPolicy.execute(() => this.postForm(form));
      this.metrics.recordSent();
      return { sid: created.sid, status: created.status };
    } catch (error) {
      const twilioError =
        error instanceof TwilioError
          ? error
          : new TwilioError(TwilioErrorCode.UNAVAILABLE, 'Twilio request failed unexpectedly', true);
      this.metrics.recordFailed(twilioError.code);
      throw twilioError;
    }
  }

  checkSetup(): Promise<SetupCheckResult[]> {
    const { options } = this;
    return new TwilioSetupCheck({
      ...options,
      messagingApiUrl: options.messagingApiUrl ?? options.apiUrl,
      dispatcher: this.dispatcher,
    }).run();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** The one place that talks HTTP to Twilio and turns every failure into a `TwilioError`. */
  private async postForm(form: URLSearchParams): Promise<TwilioMessageResource> {
    let answer: TwilioAnswer;
    try {
      answer = await postTwilioForm({
        url: this.messagesUrl,
        authorization: this.authorization,
        form,
        dispatcher: this.dispatcher,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      throw transportError(error);
    }
    if (answer.status >= 200 && answer.status < 300) return parseMessageResource(answer.body);
    throw errorFromResponse(answer);
  }
}

/** Stands in when Twilio is not configured or confirmations are off: callers check `enabled` and skip. */
export class DisabledSmsSender extends SmsSender {
  readonly enabled = false;

  checkSetup(): Promise<SetupCheckResult[]> {
    return Promise.resolve([
      skip('SMS confirmations', 'off: Twilio is not configured or SMS_CONFIRMATIONS=false'),
    ]);
  }

  send(): Promise<SentSms> {
    return Promise.reject(
      new TwilioError(
        TwilioErrorCode.NOT_CONFIGURED,
        'SMS sending is disabled (Twilio not configured)',
        false,
      ),
    );
  }
}

/**
 * Cuts `body` to at most `limit` UTF-16 code units, ending with an ellipsis, without splitting a grapheme
 * (so no half surrogate pair or orphaned combining mark reaches the handset).
 */
export function truncateSmsBody(body: string, limit = SMS_BODY_LIMIT): string {
  if (body.length <= limit) return body;
  const ellipsis = '…';
  let kept = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(body)) {
    if (kept.length + segment.length > limit - ellipsis.length) break;
    kept += segment;
  }
  return kept + ellipsis;
}

function parseMessageResource(parsed: TwilioAnswer['body']): TwilioMessageResource {
  if (parsed && typeof parsed.sid === 'string' && typeof parsed.status === 'string') {
    return { sid: parsed.sid, status: parsed.status };
  }
  // The message was accepted: sending again would text the caller twice.
  throw new TwilioError(
    TwilioErrorCode.UNAVAILABLE,
    'Twilio accepted the message but its response was unreadable',
    false,
  );
}

/** Maps `{code, message, more_info, status}` to our codes; the code and `more_info` link say what happened. */
function errorFromResponse(answer: TwilioAnswer): TwilioError {
  const { status } = answer;
  const { twilioCode, describe } = describeTwilioError(answer);
  const options = { status, twilioCode };
  if (status === 429 || twilioCode === 20429) {
    return new TwilioError(
      TwilioErrorCode.RATE_LIMITED,
      describe('Twilio rate limit exceeded'),
      true,
      options,
    );
  }
  if (status === 401 || status === 403 || twilioCode === 20003) {
    return new TwilioError(
      TwilioErrorCode.AUTH_FAILED,
      describe('Twilio refused the credentials'),
      false,
      options,
    );
  }
  if (twilioCode !== undefined && INVALID_RECIPIENT_CODES.has(twilioCode)) {
    return new TwilioError(
      TwilioErrorCode.INVALID_RECIPIENT,
      describe('Recipient cannot receive SMS'),
      false,
      options,
    );
  }
  if (status >= 500) {
    return new TwilioError(TwilioErrorCode.UNAVAILABLE, describe('Twilio is unavailable'), true, options);
  }
  return new TwilioError(TwilioErrorCode.REJECTED, describe('Twilio rejected the message'), false, options);
}

function transportError(error: unknown): TwilioError {
  if (error instanceof TwilioError) return error;
  // After a timeout Twilio may have accepted the message; the delivery worker decides whether a possible
  // duplicate is worth it.
  return noAnswerError(error, 'Twilio', (kind, message) => {
    return new TwilioError(TwilioErrorCode[kind], message, true, { cause: error });
  });
}
