import { Agent, type Dispatcher } from 'undici';
import { fail, pass, SetupCheckResult, skip, warn } from '../common/setup-check';
import { transportFailure } from '../common/transport-failure';
import { basicAuthorization, getTwilioJson, TwilioAnswer } from './twilio-http';

export interface TwilioSetupCheckOptions {
  accountSid: string;
  authToken: string;
  fromNumber?: string;
  messagingServiceSid?: string;
  /** `https://api.twilio.com` or a fake. */
  apiUrl: string;
  /** `https://messaging.twilio.com` (Messaging Services) or a fake. */
  messagingApiUrl: string;
  timeoutMs?: number;
  /** Shared with the SMS sender when there is one; otherwise a short-lived agent of its own. */
  dispatcher?: Dispatcher;
}

const CREDENTIALS = 'credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)';
const US_TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

/** What US carriers ask of a sender (twilio.com/docs/messaging/compliance): unregistered traffic is blocked. */
function usRegistration(number: string): SetupCheckResult | undefined {
  if (US_TOLL_FREE.test(number)) {
    return warn(
      'US toll-free verification',
      'cannot be checked from here: SMS from an unverified toll-free number fail with error 30032',
      'submit the number for toll-free verification (Twilio Console → Messaging → Regulatory compliance)',
    );
  }
  if (number.startsWith('+1')) {
    return warn(
      'US A2P 10DLC registration',
      'cannot be checked for a bare number: SMS from an unregistered 10-digit number fail with error 30034',
      'register a brand and campaign and add the number to its Messaging Service (or set TWILIO_MESSAGING_SERVICE_SID to check it)',
    );
  }
  return undefined;
}

class TwilioUnreachable extends Error {}

/**
 * Checks Twilio the way the service will use it, with reads only: the credentials (and whether the account is
 * a trial, which texts verified numbers only), and that the sender can send SMS: TWILIO_FROM_NUMBER is a number
 * of the account with the SMS capability, or TWILIO_MESSAGING_SERVICE_SID exists with senders and, for US
 * numbers, a registered A2P campaign.
 */
export class TwilioSetupCheck {
  private readonly authorization: string;

  constructor(private readonly options: TwilioSetupCheckOptions) {
    this.authorization = basicAuthorization(options.accountSid, options.authToken);
  }

  async run(): Promise<SetupCheckResult[]> {
    const dispatcher = this.options.dispatcher ?? new Agent({ connections: 2 });
    try {
      const account = await this.account(dispatcher);
      if (account.status !== 'pass' && account.status !== 'warn')
        return [account, skip('sender', 'not checked')];
      return [account, ...(await this.sender(dispatcher))];
    } catch (error) {
      if (!(error instanceof TwilioUnreachable)) throw error;
      return [fail('Twilio reachable', error.message, 'check TWILIO_API_URL and the network; try again')];
    } finally {
      if (!this.options.dispatcher) await dispatcher.close();
    }
  }

  private async account(dispatcher: Dispatcher): Promise<SetupCheckResult> {
    const { accountSid } = this.options;
    const answer = await this.get(dispatcher, this.options.apiUrl, `/2010-04-01/Accounts/${accountSid}.json`);
    if (answer.status === 401 || answer.body?.code === 20003) {
      return fail(
        CREDENTIALS,
        `Twilio refused them (HTTP ${answer.status})`,
        'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (Twilio Console → Account info); a rotated token must be replaced here too',
      );
    }
    if (answer.status !== 200) {
      return fail(CREDENTIALS, `Twilio answered HTTP ${answer.status}`, 'check TWILIO_ACCOUNT_SID');
    }
    const status = answer.body?.status;
    if (status !== 'active') {
      return fail(CREDENTIALS, `the account is ${String(status)}`, 'reactivate the Twilio account');
    }
    if (answer.body?.type === 'Trial') {
      return warn(
        CREDENTIALS,
        'a trial account: it texts only verified numbers, with a trial notice',
        'upgrade the Twilio account before callers rely on the SMS',
      );
    }
    return pass(CREDENTIALS, 'the account is active');
  }

  private async sender(dispatcher: Dispatcher): Promise<SetupCheckResult[]> {
    const { fromNumber, messagingServiceSid } = this.options;
    if (messagingServiceSid) return this.messagingService(dispatcher, messagingServiceSid);
    if (!fromNumber)
      return [skip('sender', 'neither TWILIO_FROM_NUMBER nor TWILIO_MESSAGING_SERVICE_SID is set')];
    const check = 'sender TWILIO_FROM_NUMBER';
    const path = `/2010-04-01/Accounts/${this.options.accountSid}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(fromNumber)}`;
    const answer = await this.get(dispatcher, this.options.apiUrl, path);
    const numbers = Array.isArray(answer.body?.incoming_phone_numbers)
      ? (answer.body.incoming_phone_numbers as { capabilities?: { sms?: unknown } }[])
      : [];
    if (answer.status !== 200 || numbers.length === 0) {
      return [
        fail(
          check,
          'not a number of this Twilio account',
          'set TWILIO_FROM_NUMBER to a number you own in Twilio (E.164)',
        ),
      ];
    }
    if (numbers[0].capabilities?.sms !== true) {
      return [fail(check, 'the number cannot send SMS', 'use an SMS-capable number, or a Messaging Service')];
    }
    const registration = usRegistration(fromNumber);
    return [
      pass(check, 'a number of the account that can send SMS'),
      ...(registration ? [registration] : []),
    ];
  }

  private async messagingService(dispatcher: Dispatcher, sid: string): Promise<SetupCheckResult[]> {
    const check = 'sender TWILIO_MESSAGING_SERVICE_SID';
    const base = this.options.messagingApiUrl;
    const service = await this.get(dispatcher, base, `/v1/Services/${sid}`);
    if (service.status !== 200) {
      return [
        fail(
          check,
          `Twilio answered HTTP ${service.status}`,
          'set TWILIO_MESSAGING_SERVICE_SID to a Messaging Service of this account',
        ),
      ];
    }
    const senders = await this.get(dispatcher, base, `/v1/Services/${sid}/PhoneNumbers`);
    const numbers = Array.isArray(senders.body?.phone_numbers)
      ? (senders.body.phone_numbers as { phone_number?: unknown; capabilities?: unknown }[])
      : [];
    const smsNumbers = numbers.filter(
      (number) => Array.isArray(number.capabilities) && number.capabilities.includes('SMS'),
    );
    if (smsNumbers.length === 0) {
      return [
        fail(
          check,
          'the service has no SMS-capable number in its sender pool',
          'add a number to the service (Twilio Console → Messaging → Services → Sender Pool)',
        ),
      ];
    }
    const results = [pass(check, `${smsNumbers.length} SMS sender(s)`)];
    const usLongCodes = smsNumbers.some(
      (number) =>
        typeof number.phone_number === 'string' &&
        number.phone_number.startsWith('+1') &&
        !US_TOLL_FREE.test(number.phone_number),
    );
    if (usLongCodes && service.body?.us_app_to_person_registered !== true) {
      results.push(
        fail(
          'US A2P 10DLC registration',
          'the service has no registered A2P campaign: US SMS from its 10-digit numbers fail with error 30034',
          'register a brand and campaign for the service (Twilio Console → Messaging → Regulatory compliance)',
        ),
      );
    }
    return results;
  }

  private async get(dispatcher: Dispatcher, base: string, path: string): Promise<TwilioAnswer> {
    try {
      return await getTwilioJson({
        url: `${base}${path}`,
        authorization: this.authorization,
        dispatcher,
        timeoutMs: this.options.timeoutMs ?? 10_000,
      });
    } catch (error) {
      throw new TwilioUnreachable(unreachable('Twilio', error));
    }
  }
}

function unreachable(what: string, error: unknown): string {
  const { timedOut, code } = transportFailure(error);
  return timedOut
    ? `${what} did not answer within the timeout`
    : `${what} could not be reached${code ? ` (${code})` : ''}`;
}

export interface VerifyServiceCheckOptions {
  accountSid: string;
  authToken: string;
  serviceSid: string;
  /** `https://verify.twilio.com` or a fake. */
  apiUrl: string;
  timeoutMs?: number;
  dispatcher: Dispatcher;
}

const VERIFY_CHECK = 'Verify service TWILIO_VERIFY_SERVICE_SID';

/**
 * Checks the Twilio Verify service callers are verified with, by reading it (`GET /v2/Services/{Sid}`): it
 * exists in this account and the credentials may use it. Nothing is sent to anyone.
 */
export async function checkVerifyService(options: VerifyServiceCheckOptions): Promise<SetupCheckResult> {
  let answer: TwilioAnswer;
  try {
    answer = await getTwilioJson({
      url: `${options.apiUrl}/v2/Services/${encodeURIComponent(options.serviceSid)}`,
      authorization: basicAuthorization(options.accountSid, options.authToken),
      dispatcher: options.dispatcher,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  } catch (error) {
    return fail(
      VERIFY_CHECK,
      unreachable('Twilio Verify', error),
      'check TWILIO_VERIFY_API_URL and the network',
    );
  }
  if (answer.status === 401 || answer.body?.code === 20003) {
    return fail(
      VERIFY_CHECK,
      `Twilio refused the credentials (HTTP ${answer.status})`,
      'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
    );
  }
  if (answer.status === 404) {
    return fail(
      VERIFY_CHECK,
      'no such Verify service in this account: callers cannot be verified',
      'create a Verify service (Twilio Console → Verify → Services) and set TWILIO_VERIFY_SERVICE_SID to its SID (VA…)',
    );
  }
  if (answer.status !== 200) {
    return fail(VERIFY_CHECK, `Twilio answered HTTP ${answer.status}`, 'check TWILIO_VERIFY_SERVICE_SID');
  }
  const length = typeof answer.body?.code_length === 'number' ? answer.body.code_length : undefined;
  return pass(VERIFY_CHECK, `the service exists${length ? ` and sends ${length}-digit codes` : ''}`);
}
