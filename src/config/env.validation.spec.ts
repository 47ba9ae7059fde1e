import { ConfigValidationError } from './config.util';
import { validateEnvironment } from './env.validation';

const valid = {
  VAPI_WEBHOOK_SECRET: 'a-webhook-secret-of-some-length',
  VAPI_SERVER_CREDENTIAL_ID: 'vapi-credential-id',
  SALESFORCE_AUTH_FLOW: 'client_credentials',
  SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com',
  SALESFORCE_CLIENT_ID: '3MVG9-client-id',
  SALESFORCE_CLIENT_SECRET: 'client-secret-value',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    validateEnvironment(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('validateEnvironment', () => {
  it('should accept a minimal valid environment', () => {
    expect(problemsOf(valid)).toEqual([]);
  });

  it('should accept the shipped languages and name ASSISTANT_LANGUAGE for any other', () => {
    for (const language of ['en', 'ko', 'es']) {
      expect(problemsOf({ ...valid, ASSISTANT_LANGUAGE: language })).toEqual([]);
    }
    expect(problemsOf({ ...valid, ASSISTANT_LANGUAGE: 'fr' })).toEqual([
      'ASSISTANT_LANGUAGE: ASSISTANT_LANGUAGE must be one of en, ko, es (isIn)',
    ]);
  });

  it('should want a voice id with a voice provider that overrides the language voice', () => {
    expect(problemsOf({ ...valid, ASSISTANT_VOICE_PROVIDER: 'elevenlabs' })).toEqual([
      'ASSISTANT_VOICE_ID: ASSISTANT_VOICE_ID must be set with ASSISTANT_VOICE_PROVIDER (isString)',
    ]);
    expect(
      problemsOf({ ...valid, ASSISTANT_VOICE_PROVIDER: 'elevenlabs', ASSISTANT_VOICE_ID: 'sarah' }),
    ).toEqual([]);
    expect(problemsOf({ ...valid, ASSISTANT_VOICE_ID: 'Clara' })).toEqual([]);
  });

  it('should list every invalid variable by name and rule, never its value', () => {
    const env = {
      ...valid,
      PORT: 'not-a-port-7777',
      VAPI_AUTH_MODE: 'hmac,magic-mode',
      SALESFORCE_LOGIN_URL: 'sf-login-not-a-url',
      SALESFORCE_AUTH_FLOW: 'password-flow-secret',
      TWILIO_ACCOUNT_SID: 'ACshort-secret-sid',
      DATABASE_URL: 'mysql://user:hunter2@db/voice',
    };
    const problems = problemsOf(env);
    const named = problems.map((problem) => problem.split(':')[0]);
    expect(new Set(named)).toEqual(
      new Set([
        'PORT',
        'VAPI_AUTH_MODE',
        'SALESFORCE_LOGIN_URL',
        'SALESFORCE_AUTH_FLOW',
        'TWILIO_ACCOUNT_SID',
        'TWILIO_AUTH_TOKEN',
        'DATABASE_URL',
      ]),
    );
    const text = problems.join('\n');
    for (const value of [
      'not-a-port-7777',
      'magic-mode',
      'sf-login-not-a-url',
      'password-flow-secret',
      'ACshort-secret-sid',
      'hunter2',
    ]) {
      expect(text).not.toContain(value);
    }
  });

  it('should require the JWT key only for the jwt_bearer flow', () => {
    const jwt = { ...valid, SALESFORCE_AUTH_FLOW: 'jwt_bearer', SALESFORCE_CLIENT_SECRET: undefined };
    expect(
      problemsOf(jwt)
        .map((problem) => problem.split(':')[0])
        .sort(),
    ).toEqual(['SALESFORCE_PRIVATE_KEY', 'SALESFORCE_USERNAME']);
    expect(
      problemsOf({ ...jwt, SALESFORCE_USERNAME: 'agent@acme.com', SALESFORCE_PRIVATE_KEY_FILE: '/k.pem' }),
    ).toEqual([]);
  });

  it('should treat empty variables as unset, as in a copied .env.example', () => {
    expect(problemsOf({ ...valid, ADMIN_API_KEY: '', TWILIO_ACCOUNT_SID: '', PORT: '' })).toEqual([]);
  });

  describe('the credential of the transient assistant', () => {
    const withoutCredential = { ...valid, VAPI_SERVER_CREDENTIAL_ID: undefined };

    it.each(['hmac', 'bearer', 'hmac,secret'])(
      'should require VAPI_SERVER_CREDENTIAL_ID with the transient assistant in %s mode, saying why',
      (mode) => {
        const problems = problemsOf({ ...withoutCredential, VAPI_AUTH_MODE: mode });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^VAPI_SERVER_CREDENTIAL_ID: .*transient assistant.*unsigned.*401/);
      },
    );

    it('should not require it with a saved assistant or in a mode without a VAPI credential', () => {
      expect(problemsOf({ ...withoutCredential, VAPI_ASSISTANT_ID: 'asst-1' })).toEqual([]);
      expect(problemsOf({ ...withoutCredential, VAPI_AUTH_MODE: 'secret' })).toEqual([]);
    });
  });

  it('should require a missing webhook secret', () => {
    expect(problemsOf({ ...valid, VAPI_WEBHOOK_SECRET: undefined }).map((p) => p.split(':')[0])).toContain(
      'VAPI_WEBHOOK_SECRET',
    );
  });

  it('should refuse a tool deadline at or above VAPI’s 20 s tool timeout less a second', () => {
    expect(problemsOf({ ...valid, TOOL_DEADLINE_MS: '19000' })).toEqual([]);
    expect(problemsOf({ ...valid, TOOL_DEADLINE_MS: '19001' }).map((p) => p.split(':')[0])).toEqual([
      'TOOL_DEADLINE_MS',
    ]);
  });

  it('should refuse a tool write budget that is not below the tool deadline', () => {
    const problems = problemsOf({ ...valid, TOOL_DEADLINE_MS: '5000', TOOL_WRITE_BUDGET_MS: '5000' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['TOOL_WRITE_BUDGET_MS']);
  });

  it('should refuse an ADMIN_PORT equal to PORT and malformed TRUSTED_PROXIES', () => {
    expect(problemsOf({ ...valid, PORT: '3000', ADMIN_PORT: '3000' }).map((p) => p.split(':')[0])).toEqual([
      'ADMIN_PORT',
    ]);
    expect(problemsOf({ ...valid, TRUSTED_PROXIES: '10.0.0.0/8, loopback' })).toEqual([]);
    expect(problemsOf({ ...valid, TRUSTED_PROXIES: 'everyone' }).map((p) => p.split(':')[0])).toEqual([
      'TRUSTED_PROXIES',
    ]);
  });

  it('should accept VERIFY_BEFORE naming tools of the catalogue (or none), and refuse any other name', () => {
    expect(problemsOf({ ...valid, VERIFY_BEFORE: 'updateContact, addCaseComment' })).toEqual([]);
    expect(problemsOf({ ...valid, VERIFY_BEFORE: 'none' })).toEqual([]);
    for (const wrong of ['updateContacts', 'verifyCaller', 'updateContact,,lookupCase']) {
      expect(problemsOf({ ...valid, VERIFY_BEFORE: wrong }).map((p) => p.split(':')[0])).toEqual([
        'VERIFY_BEFORE',
      ]);
    }
  });

  it('should need the Twilio account for Twilio Verify', () => {
    const problems = problemsOf({ ...valid, TWILIO_VERIFY_SERVICE_SID: `VA${'ab'.repeat(16)}` });
    expect(new Set(problems.map((p) => p.split(':')[0]))).toEqual(
      new Set(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']),
    );
  });
});
