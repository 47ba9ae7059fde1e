import { ConfigValidationError } from '../src/config/config.util';
import { startApp } from './support/app-harness';

/** The error that stopped the app from starting (undefined when it started, and was closed again). */
function startFailure(env: Record<string, string | undefined>): Promise<unknown> {
  return startApp(env).then(
    async (running) => {
      await running.close();
      return undefined;
    },
    (error: unknown) => error,
  );
}

describe('start-up (e2e)', () => {
  it('should refuse to start, listing every invalid variable by name and rule and never a value', async () => {
    const failure = await startFailure({
      PORT: 'port-eighty',
      VAPI_WEBHOOK_SECRET: 'tiny',
      VAPI_AUTH_MODE: 'hmac,telepathy',
      SALESFORCE_LOGIN_URL: 'not a url at all',
      TWILIO_ACCOUNT_SID: 'ACnotreal-secretish',
    });
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

  it('should refuse to start a transient assistant in hmac mode without a credential, saying why', async () => {
    const failure = await startFailure({ VAPI_AUTH_MODE: 'hmac', VAPI_SERVER_CREDENTIAL_ID: undefined });

    expect(failure).toBeInstanceOf(ConfigValidationError);
    const problems = (failure as ConfigValidationError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^VAPI_SERVER_CREDENTIAL_ID: .*transient assistant.*unsigned.*401/);
  });

  it('should start without a credential when the assistant is saved in VAPI', async () => {
    const running = await startApp({ VAPI_SERVER_CREDENTIAL_ID: undefined, VAPI_ASSISTANT_ID: 'asst-saved' });
    const live = await fetch(`${running.url}/health/live`);
    await running.close();

    expect(live.status).toBe(200);
  });
});
