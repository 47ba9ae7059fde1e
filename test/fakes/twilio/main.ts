import { randomBytes } from 'node:crypto';
import { startTwilioFake } from './twilio-fake';

/** Standalone Twilio fake for local development: `node dist/fakes/twilio/main.js`. */
async function main(): Promise<void> {
  const accountSid = process.env.TWILIO_ACCOUNT_SID ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = process.env.TWILIO_AUTH_TOKEN ?? randomBytes(16).toString('hex');
  const verifyServiceSid = process.env.TWILIO_VERIFY_SERVICE_SID ?? `VA${randomBytes(16).toString('hex')}`;
  const fake = await startTwilioFake({
    port: Number(process.env.FAKE_TWILIO_PORT ?? 4020),
    accountSid,
    authToken,
    sendStatusCallbacks: process.env.FAKE_TWILIO_STATUS_CALLBACKS !== 'false',
    verifyServiceSids: [verifyServiceSid],
  });
  // Local fake credentials only: printing them is the point, so the service can be pointed at the fake.
  process.stdout.write(
    [
      `Twilio fake listening on ${fake.url}`,
      `TWILIO_API_URL=${fake.url}`,
      `TWILIO_ACCOUNT_SID=${accountSid}`,
      `TWILIO_AUTH_TOKEN=${authToken}`,
      `TWILIO_VERIFY_API_URL=${fake.url}`,
      `TWILIO_VERIFY_SERVICE_SID=${verifyServiceSid}`,
      `Control: GET ${fake.url}/__fake/messages, GET ${fake.url}/__fake/verifications, POST ${fake.url}/__fake/faults, POST ${fake.url}/__fake/reset`,
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
