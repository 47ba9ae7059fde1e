import { createHash, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import {
  FakeVerifyApi,
  TwilioFakeVerification,
  TwilioFakeVerifyRequest,
  twilioErrorBody,
} from './verify-api';

export type { TwilioFakeVerification, TwilioFakeVerifyRequest } from './verify-api';

/**
 * A local stand-in for Twilio's Messages API (`POST /2010-04-01/Accounts/{Sid}/Messages.json`) that checks
 * what the real one checks (Basic auth, form fields, E.164, body length), answers with the documented shapes
 * and can inject faults. Optionally it sends signed status callbacks like Twilio does. The reads a set-up check
 * makes are served too: the Account, `IncomingPhoneNumbers.json?PhoneNumber=` and, as
 * messaging.twilio.com does, `/v1/Services/{Sid}` with its `PhoneNumbers` (shapes of the twilio library's
 * resources: `capabilities` an object of booleans for incoming numbers, a list of names for service numbers).
 * The same origin serves the Verify v2 API (`/v2/Services/{Sid}/…`, see verify-api.ts), as TWILIO_VERIFY_API_URL.
 */

export interface TwilioFakeFaults {
  /** The next N message requests get 429 / 20429. */
  status429: number;
  /** Numbers Twilio accepts as E.164 but that cannot receive SMS: answered with 400 / 21614. */
  invalidNumbers: string[];
  /** Every request gets 503 / 20503. */
  outage: boolean;
  /** Delay before each answer (to exercise client timeouts). */
  latencyMs: number;
  /** Numbers Verify cannot text (landlines): a verification by SMS is answered 400 / 60205. */
  landlineNumbers: string[];
}

export interface TwilioFakeMessage {
  sid: string;
  To: string;
  From?: string;
  Body: string;
  MessagingServiceSid?: string;
  StatusCallback?: string;
  status: string;
}

export interface StatusCallbackDelivery {
  url: string;
  params: Record<string, string>;
  /** HTTP status our server answered, or the network error's message. */
  outcome: number | string;
}

export interface TwilioFakeOptions {
  port?: number;
  accountSid: string;
  authToken: string;
  faults?: Partial<TwilioFakeFaults>;
  /** Post `sent` then `delivered` to each message's StatusCallback, signed with the auth token. */
  sendStatusCallbacks?: boolean;
  /** Default `Full`; a `Trial` account texts only verified numbers. */
  accountType?: 'Full' | 'Trial';
  /** The account's numbers; when not given, any number asked about is an SMS-capable number of the account. */
  ownedNumbers?: { phoneNumber: string; sms: boolean }[];
  messagingServices?: { sid: string; a2pRegistered: boolean; numbers: string[] }[];
  /** Verify services (`VA…`) the fake knows; any other service SID is answered 404 / 20404. */
  verifyServiceSids?: string[];
  /** Time source in ms of Verify's code lifetime (default Date.now); `advanceTime` adds to it. */
  clock?: () => number;
}

export interface TwilioFake {
  /** Base URL to use as TWILIO_API_URL. */
  url: string;
  messages: TwilioFakeMessage[];
  /** Verifications started through the Verify API, with the code each one texted. */
  verifications: TwilioFakeVerification[];
  /** Every Verify API request, in order. */
  verifyRequests: TwilioFakeVerifyRequest[];
  /** Moves Verify's clock forward (codes expire 10 minutes after they were first sent). */
  advanceTime(ms: number): void;
  /** HTTP status of every answer to an API request (not the control API), in order. */
  answers: number[];
  statusCallbacks: StatusCallbackDelivery[];
  faults: { set(faults: Partial<TwilioFakeFaults>): void; current(): TwilioFakeFaults };
  /** Resolves when every status callback started so far has been answered. */
  settled(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const API_VERSION = '2010-04-01';
const E164 = /^\+[1-9]\d{6,14}$/;
const NO_FAULTS: TwilioFakeFaults = {
  status429: 0,
  invalidNumbers: [],
  outage: false,
  latencyMs: 0,
  landlineNumbers: [],
};
const twilioError = twilioErrorBody;

export async function startTwilioFake(options: TwilioFakeOptions): Promise<TwilioFake> {
  const messages: TwilioFakeMessage[] = [];
  const answers: number[] = [];
  const statusCallbacks: StatusCallbackDelivery[] = [];
  const pendingCallbacks = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let faults: TwilioFakeFaults = { ...NO_FAULTS, ...options.faults };
  const messagesPath = `/${API_VERSION}/Accounts/${options.accountSid}/Messages.json`;
  let offset = 0;
  const baseClock = options.clock ?? Date.now;
  const verify = new FakeVerifyApi(
    options.accountSid,
    options.verifyServiceSids ?? [],
    () => baseClock() + offset,
  );

  const send = (response: ServerResponse, status: number, body: unknown): void => {
    if (!response.req.url?.startsWith('/__fake/')) answers.push(status);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  /** Twilio reads parameters only from form bodies; a JSON body arrives as "no parameters". */
  const formOf = (request: IncomingMessage, rawBody: string): URLSearchParams => {
    const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    return new URLSearchParams(isForm ? rawBody : '');
  };

  const handleVerify = (request: IncomingMessage, response: ServerResponse, rawBody: string): void => {
    if (faults.outage) return send(response, 503, twilioError(503, 20503, 'Service Unavailable'));
    if (!isAuthorized(request.headers.authorization, options.accountSid, options.authToken)) {
      return send(response, 401, twilioError(401, 20003, 'Authenticate'));
    }
    const path = request.url?.split('?')[0] ?? '';
    const { status, body } =
      request.method === 'GET'
        ? verify.fetchService(path)
        : verify.handle(path, formOf(request, rawBody), faults.landlineNumbers);
    send(response, status, body);
  };

  const handleCreateMessage = (request: IncomingMessage, response: ServerResponse, rawBody: string): void => {
    if (faults.outage) return send(response, 503, twilioError(503, 20503, 'Service Unavailable'));
    if (!isAuthorized(request.headers.authorization, options.accountSid, options.authToken)) {
      return send(response, 401, twilioError(401, 20003, 'Authenticate'));
    }
    if (request.url?.split('?')[0] !== messagesPath) {
      return send(response, 404, twilioError(404, 20404, 'The requested resource was not found'));
    }
    if (faults.status429 > 0) {
      faults.status429 -= 1;
      return send(response, 429, twilioError(429, 20429, 'Too Many Requests'));
    }
    const params = formOf(request, rawBody);
    const to = params.get('To');
    const from = params.get('From') ?? undefined;
    const messagingServiceSid = params.get('MessagingServiceSid') ?? undefined;
    const body = params.get('Body');
    if (!to) return send(response, 400, twilioError(400, 21604, "A 'To' phone number is required."));
    if (!E164.test(to)) {
      return send(
        response,
        400,
        twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
      );
    }
    if (!from && !messagingServiceSid) {
      return send(response, 400, twilioError(400, 21603, "A 'From' phone number is required."));
    }
    if (from && !E164.test(from)) {
      return send(
        response,
        400,
        twilioError(400, 21212, `The 'From' number ${from} is not a valid phone number.`),
      );
    }
    if (messagingServiceSid && !/^MG[0-9a-fA-F]{32}$/.test(messagingServiceSid)) {
      return send(response, 400, twilioError(400, 21701, 'The Messaging Service Sid is invalid.'));
    }
    if (!body) return send(response, 400, twilioError(400, 21602, 'Message body is required.'));
    if (body.length > 1600) {
      return send(
        response,
        400,
        twilioError(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'),
      );
    }
    if (faults.invalidNumbers.includes(to)) {
      return send(response, 400, twilioError(400, 21614, `'To' number ${to} is not a valid mobile number`));
    }

    const sid = `SM${randomBytes(16).toString('hex')}`;
    // Initial status per Twilio: `queued` without a Messaging Service, `accepted` with one.
    const status = messagingServiceSid ? 'accepted' : 'queued';
    const statusCallback = params.get('StatusCallback') ?? undefined;
    messages.push({
      sid,
      To: to,
      From: from,
      Body: body,
      MessagingServiceSid: messagingServiceSid,
      StatusCallback: statusCallback,
      status,
    });
    const now = rfc2822(new Date());
    send(response, 201, {
      account_sid: options.accountSid,
      api_version: API_VERSION,
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: messagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(segmentCount(body)),
      price: null,
      price_unit: 'USD',
      sid,
      status,
      subresource_uris: {
        media: `/${API_VERSION}/Accounts/${options.accountSid}/Messages/${sid}/Media.json`,
      },
      to,
      uri: `/${API_VERSION}/Accounts/${options.accountSid}/Messages/${sid}.json`,
    });
    if (options.sendStatusCallbacks && statusCallback) {
      const delivery = deliverStatusCallbacks(statusCallback, { sid, to, from, messagingServiceSid });
      pendingCallbacks.add(delivery);
      void delivery.finally(() => pendingCallbacks.delete(delivery));
    }
  };

  // Twilio sends no callback for the initial status; `sent` and then `delivered` follow, in that order.
  const deliverStatusCallbacks = async (
    url: string,
    message: { sid: string; to: string; from?: string; messagingServiceSid?: string },
  ): Promise<void> => {
    for (const status of ['sent', 'delivered']) {
      const params: Record<string, string> = {
        AccountSid: options.accountSid,
        ApiVersion: API_VERSION,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
        ...(message.from ? { From: message.from } : {}),
        ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
      };
      const signature = getExpectedTwilioSignature(options.authToken, url, params);
      let outcome: number | string;
      try {
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(params).toString(),
          signal: AbortSignal.timeout(5_000),
        });
        await answer.arrayBuffer();
        outcome = answer.status;
      } catch (error) {
        outcome = error instanceof Error ? error.message : String(error);
      }
      statusCallbacks.push({ url, params, outcome });
    }
  };

  /** The reads of a set-up check (GET only, Basic auth). */
  const handleRead = (request: IncomingMessage, response: ServerResponse): void => {
    if (faults.outage) return send(response, 503, twilioError(503, 20503, 'Service Unavailable'));
    if (!isAuthorized(request.headers.authorization, options.accountSid, options.authToken)) {
      return send(response, 401, twilioError(401, 20003, 'Authenticate'));
    }
    const url = new URL(request.url ?? '/', 'http://fake');
    const account = `/${API_VERSION}/Accounts/${options.accountSid}`;
    const notFound = () =>
      send(response, 404, twilioError(404, 20404, 'The requested resource was not found'));
    if (url.pathname === `${account}.json`) {
      return send(response, 200, {
        sid: options.accountSid,
        friendly_name: 'voice-crm fake account',
        status: 'active',
        type: options.accountType ?? 'Full',
      });
    }
    if (url.pathname === `${account}/IncomingPhoneNumbers.json`) {
      const wanted = url.searchParams.get('PhoneNumber') ?? '';
      const owned = options.ownedNumbers ?? (E164.test(wanted) ? [{ phoneNumber: wanted, sms: true }] : []);
      const numbers = owned
        .filter((number) => number.phoneNumber === wanted)
        .map((number) => ({
          sid: `PN${createHash('md5').update(number.phoneNumber).digest('hex')}`,
          phone_number: number.phoneNumber,
          capabilities: { voice: true, sms: number.sms, mms: number.sms, fax: false },
        }));
      return send(response, 200, { incoming_phone_numbers: numbers, page: 0, page_size: 50 });
    }
    const service = /^\/v1\/Services\/(MG[0-9a-fA-F]{32})(\/PhoneNumbers)?$/.exec(url.pathname);
    const found = options.messagingServices?.find((candidate) => candidate.sid === service?.[1]);
    if (!service || !found) return notFound();
    if (!service[2]) {
      return send(response, 200, {
        sid: found.sid,
        friendly_name: 'voice-crm fake service',
        us_app_to_person_registered: found.a2pRegistered,
      });
    }
    return send(response, 200, {
      phone_numbers: found.numbers.map((number) => ({
        phone_number: number,
        capabilities: ['SMS', 'MMS', 'Voice'],
      })),
      meta: { page: 0, page_size: 50 },
    });
  };

  const handleControl = (request: IncomingMessage, response: ServerResponse, rawBody: string): void => {
    const route = `${request.method} ${request.url?.split('?')[0]}`;
    switch (route) {
      case 'GET /__fake/messages':
        return send(response, 200, messages);
      case 'GET /__fake/verifications':
        return send(response, 200, verify.verifications);
      case 'GET /__fake/status-callbacks':
        return send(response, 200, statusCallbacks);
      case 'POST /__fake/faults': {
        try {
          faults = { ...faults, ...(JSON.parse(rawBody || '{}') as Partial<TwilioFakeFaults>) };
        } catch {
          return send(response, 400, { message: 'faults must be a JSON object' });
        }
        return send(response, 200, faults);
      }
      case 'POST /__fake/reset':
        reset();
        return send(response, 200, { reset: true });
      default:
        return send(response, 404, { message: `no fake route ${route}` });
    }
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (request.url?.startsWith('/__fake/')) return handleControl(request, response, rawBody);
      const answer = (): void => {
        if (request.url?.startsWith('/v2/')) handleVerify(request, response, rawBody);
        else if (request.method === 'POST') handleCreateMessage(request, response, rawBody);
        else if (request.method === 'GET') handleRead(request, response);
        else send(response, 405, twilioError(405, 20004, 'Method not allowed'));
      };
      if (faults.latencyMs <= 0) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, faults.latencyMs);
      timers.add(timer);
    });
  });

  const reset = (): void => {
    messages.length = 0;
    answers.length = 0;
    statusCallbacks.length = 0;
    verify.reset();
    offset = 0;
    faults = { ...NO_FAULTS, ...options.faults };
  };

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    verifications: verify.verifications,
    verifyRequests: verify.requests,
    advanceTime: (ms) => {
      offset += ms;
    },
    answers,
    statusCallbacks,
    faults: {
      set: (changes) => {
        faults = { ...faults, ...changes };
      },
      current: () => ({
        ...faults,
        invalidNumbers: [...faults.invalidNumbers],
        landlineNumbers: [...faults.landlineNumbers],
      }),
    },
    settled: async () => {
      await Promise.all([...pendingCallbacks]);
    },
    reset,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function isAuthorized(header: string | undefined, accountSid: string, authToken: string): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  return decoded === `${accountSid}:${authToken}`;
}

/** GSM-7 fits 160 characters (153 per part when split); anything else is UCS-2 with 70 (67). */
function segmentCount(body: string): number {
  const gsm = /^[\x20-\x7E\n\r]*$/.test(body);
  const single = gsm ? 160 : 70;
  const part = gsm ? 153 : 67;
  return body.length <= single ? 1 : Math.ceil(body.length / part);
}

/** Twilio's date format, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`. */
function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}
