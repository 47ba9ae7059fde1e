import { request, type Dispatcher } from 'undici';
import { parseJsonObject } from '../common/json-object';

/**
 * The wire format Twilio's REST APIs share (Messages and Verify): form-encoded POSTs with Basic auth, JSON
 * answers, and errors as `{code, message, more_info, status}`. The official client has no base-URL option
 * (we point at local fakes), and a form POST is a few lines.
 */

export interface TwilioAnswer {
  status: number;
  /** The JSON object Twilio answered with, if it was one. */
  body: Record<string, unknown> | undefined;
}

export function basicAuthorization(accountSid: string, authToken: string): string {
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
}

interface TwilioRequestOptions {
  url: string;
  authorization: string;
  dispatcher: Dispatcher;
  timeoutMs: number;
}

/** One POST; a transport failure (timeout, refused connection) is thrown as it is, for the caller to map. */
export function postTwilioForm(
  options: TwilioRequestOptions & { form: URLSearchParams },
): Promise<TwilioAnswer> {
  return twilioRequest('POST', options, options.form.toString());
}

/** One GET (the reads of the set-up checks); transport failures are thrown as they are. */
export function getTwilioJson(options: TwilioRequestOptions): Promise<TwilioAnswer> {
  return twilioRequest('GET', options);
}

async function twilioRequest(
  method: 'GET' | 'POST',
  options: TwilioRequestOptions,
  form?: string,
): Promise<TwilioAnswer> {
  const response = await request(options.url, {
    method,
    dispatcher: options.dispatcher,
    signal: AbortSignal.timeout(options.timeoutMs),
    headers: {
      authorization: options.authorization,
      ...(form === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      accept: 'application/json',
      'user-agent': 'voice-crm',
    },
    body: form,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: parseJsonObject(text) };
}

/**
 * An error answer as we may repeat it: the HTTP status, Twilio's code and its `more_info` link. Twilio's
 * `message` is not copied: it can quote the phone number.
 */
export function describeTwilioError(answer: TwilioAnswer): {
  twilioCode: number | undefined;
  describe: (what: string) => string;
} {
  const twilioCode = typeof answer.body?.code === 'number' ? answer.body.code : undefined;
  const moreInfo = typeof answer.body?.more_info === 'string' ? ` (${answer.body.more_info})` : '';
  return {
    twilioCode,
    describe: (what) =>
      `${what}: HTTP ${answer.status}${twilioCode === undefined ? '' : `, Twilio code ${twilioCode}`}${moreInfo}`,
  };
}
