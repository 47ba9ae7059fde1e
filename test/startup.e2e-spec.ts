import { ConfigValidationError } from '../src/config/config.util';
import { startApp } from './support/app-harness';

describe('start-up (e2e)', () => {
  it('should refuse to start, listing every invalid variable by name and rule and never a value', async () => {
    const failure = await startApp({
      PORT: 'port-eighty',
      VAPI_WEBHOOK_SECRET: 'tiny',
      VAPI_AUTH_MODE: 'hmac,telepathy',
      SALESFORCE_LOGIN_URL: 'not a url at all',
      TWILIO_ACCOUNT_SID: 'ACnotreal-secretish',
    }).then(
      async (running) => {
        await running.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigValidationError);
    const message = (failure as ConfigValidationError).message;
    for (const name of [
      'PORT',
      'VAPI_WEBHOOK_SECRET',
      'VAPI_AUTH_MODE',
      'SALESFORCE_LOGIN_URL',
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
    ]) {
      expect(message).toContain(`${name}:`);
    }
    for (const value of ['port-eighty', 'tiny', 'telepathy', 'not a url at all', 'ACnotreal-secretish']) {
      expect(message).not.toContain(value);
    }
  });
});
