import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDoctor } from '../../src/cli/doctor';
import { runProvision } from '../../src/cli/provision';
import { createDemoOrg } from '../fakes/salesforce/demo-org';
import { SalesforceFake, startSalesforceFake } from '../fakes/salesforce/salesforce-fake';
import { startTwilioFake, TwilioFake } from '../fakes/twilio/twilio-fake';
import { startVapiApiFake, VapiApiFake } from '../fakes/vapi-api/vapi-api-fake';
import { runCommand } from '../support/cli-harness';

const WEBHOOK_SECRET = 'doctor-webhook-secret-0123456789';
const VAPI_KEY = 'doctor-vapi-private-key-0123';
const TWILIO_SID = `AC${'7e'.repeat(16)}`;
const TWILIO_TOKEN = 'doctor-twilio-auth-token-0123';
const VERIFY_SID = `VA${'5c'.repeat(16)}`;

/** Lines of the checklist that failed, as `✗ check`. */
const failures = (text: string) => text.split('\n').filter((line) => line.startsWith('  ✗'));

describe('npm run doctor against the fakes (e2e)', () => {
  let salesforce: SalesforceFake;
  let twilio: TwilioFake;
  let vapi: VapiApiFake;
  let env: Record<string, string | undefined>;
  const demo = createDemoOrg();

  beforeAll(async () => {
    salesforce = await startSalesforceFake({ clients: demo.clients, seed: demo.seed });
    twilio = await startTwilioFake({
      accountSid: TWILIO_SID,
      authToken: TWILIO_TOKEN,
      verifyServiceSids: [VERIFY_SID],
    });
    vapi = await startVapiApiFake({ apiKey: VAPI_KEY });
  });
  afterAll(() => Promise.all([salesforce.close(), twilio.close(), vapi.close()]));

  beforeEach(() => {
    vapi.reset();
    env = {
      PUBLIC_URL: 'https://voice-crm.example.com',
      VAPI_WEBHOOK_SECRET: WEBHOOK_SECRET,
      VAPI_API_KEY: VAPI_KEY,
      VAPI_API_URL: vapi.url,
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: salesforce.url,
      SALESFORCE_CLIENT_ID: demo.credentials.clientId,
      SALESFORCE_CLIENT_SECRET: demo.credentials.clientSecret,
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_FROM_NUMBER: '+14155550000',
      TWILIO_API_URL: twilio.url,
      TRANSFER_NUMBER: '+14155550199',
    };
  });

  /** `npm run provision`, then the credential id it prints in the environment, as the set-up guide says. */
  const provision = async () => {
    const run = await runCommand(runProvision, [], env);
    expect(run.code).toBe(0);
    env.VAPI_SERVER_CREDENTIAL_ID = /VAPI_SERVER_CREDENTIAL_ID=(\S+)/.exec(run.text)?.[1];
  };
  const doctor = (...argv: string[]) => runCommand(runDoctor, argv, env);

  it('should pass a working, provisioned configuration (exit 0) and recognise a known caller', async () => {
    await provision();

    const run = await doctor('--caller', '(415) 555-0100');

    expect(failures(run.text)).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.text).toContain('✓ token (client_credentials at');
    expect(run.text).toContain('✓ webhook credential: HMAC with the first secret of VAPI_WEBHOOK_SECRET');
    expect(run.text).toContain('✓ the caller given with --caller: recognised as one Contact');
    expect(run.text).toContain('! US A2P 10DLC registration');
  });

  it('should check the Knowledge object and answer field when Knowledge is configured', async () => {
    await provision();

    env.KNOWLEDGE_ANSWER_FIELD = 'Answer__c';
    const configured = await doctor();
    env.KNOWLEDGE_ANSWER_FIELD = 'Resolution__c';
    const missingField = await doctor();

    expect(failures(configured.text)).toEqual([]);
    expect(configured.text).toContain('Knowledge__kav searched');
    expect(missingField.code).toBe(1);
    expect(missingField.text).toMatch(
      /✗ Knowledge__kav\.Resolution__c: field missing.*\n\s+fix: create Knowledge__kav\.Resolution__c on the article type, or set KNOWLEDGE_ANSWER_FIELD/,
    );
  });

  it('should fail before provisioning, with npm run provision as the fix of the VAPI side', async () => {
    const run = await doctor();

    expect(run.code).toBe(1);
    expect(run.text).toMatch(/✗ VAPI_SERVER_CREDENTIAL_ID: .*npm run provision/);
    expect(run.text).toMatch(
      /✗ phone number \+14155550000: not imported into VAPI .*\n\s+fix: npm run provision/,
    );
  });

  it('should exit non-zero naming SALESFORCE_CLIENT_SECRET when the Salesforce secret is wrong, never printing it', async () => {
    await provision();
    env.SALESFORCE_CLIENT_SECRET = 'a-wrong-salesforce-secret-0123';

    const run = await doctor();

    expect(run.code).toBe(1);
    expect(failures(run.text)).toEqual([expect.stringMatching(/^ {2}✗ token \(client_credentials at /)]);
    expect(run.text).toMatch(/fix: check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET/);
    expect(run.text).not.toContain('a-wrong-salesforce-secret-0123');
  });

  it('should exit non-zero naming TWILIO_AUTH_TOKEN when the Twilio token is wrong, never printing it', async () => {
    await provision();
    env.TWILIO_AUTH_TOKEN = 'a-wrong-twilio-token-0123456';

    const run = await doctor();

    expect(run.code).toBe(1);
    expect(failures(run.text)).toEqual([
      '  ✗ credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): Twilio refused them (HTTP 401)',
    ]);
    expect(run.text).toContain('TWILIO_AUTH_TOKEN (Twilio Console');
    expect(run.text).toContain('! Twilio credentials in VAPI');
    expect(run.text).not.toContain('a-wrong-twilio-token-0123456');
  });

  it('should check the Verify service when callers are verified, and name TWILIO_VERIFY_SERVICE_SID when the account lacks it', async () => {
    await provision();
    env.TWILIO_VERIFY_SERVICE_SID = VERIFY_SID;
    env.TWILIO_VERIFY_API_URL = twilio.url;

    const working = await doctor();
    env.TWILIO_VERIFY_SERVICE_SID = `VA${'00'.repeat(16)}`;
    const wrong = await doctor();

    expect(failures(working.text)).toEqual([]);
    expect(working.text).toContain('✓ Verify service TWILIO_VERIFY_SERVICE_SID: the service exists');
    expect(wrong.code).toBe(1);
    expect(failures(wrong.text)).toEqual([
      '  ✗ Verify service TWILIO_VERIFY_SERVICE_SID: no such Verify service in this account: callers cannot be verified',
    ]);
    expect(wrong.text).toMatch(/fix: create a Verify service .* set TWILIO_VERIFY_SERVICE_SID/);
    expect(twilio.verifications).toEqual([]);
  });

  it('should fail when VAPI signs with a secret the service does not accept', async () => {
    await provision();
    env.VAPI_WEBHOOK_SECRET = 'a-new-secret-never-provisioned-0123';

    const run = await doctor();

    expect(run.code).toBe(1);
    expect(failures(run.text)).toEqual([
      expect.stringContaining(
        '✗ webhook credential: it signs with a secret that is not in VAPI_WEBHOOK_SECRET',
      ),
    ]);
  });

  it('should fail a configuration the service would refuse, naming the variable', async () => {
    env.VAPI_WEBHOOK_SECRET = 'short';

    const run = await doctor();

    expect(run.code).toBe(1);
    expect(run.text).toMatch(/✗ VAPI_WEBHOOK_SECRET: .*16 or more characters/);
    expect(run.text).not.toContain('"short"');
  });

  it('should check a saved assistant against this version, and fail it once the words or tools drift', async () => {
    const made = await runCommand(runProvision, ['--assistant'], env);
    env.VAPI_SERVER_CREDENTIAL_ID = /VAPI_SERVER_CREDENTIAL_ID=(\S+)/.exec(made.text)?.[1];
    env.VAPI_ASSISTANT_ID = /VAPI_ASSISTANT_ID=(\S+)/.exec(made.text)?.[1];

    const inStep = await doctor();
    env.COMPANY_NAME = 'Another company';
    const drifted = await doctor();

    expect(inStep.code).toBe(0);
    expect(inStep.text).toContain(
      "✓ saved assistant (VAPI_ASSISTANT_ID): its tools, server and words are this version's",
    );
    expect(drifted.code).toBe(1);
    expect(failures(drifted.text)).toEqual([
      '  ✗ saved assistant (VAPI_ASSISTANT_ID): differs from this version: assistant "voice-crm support agent"',
    ]);
    expect(drifted.text).toContain('fix: npm run provision -- --assistant');
  });

  it('should use the refresh token the service stored in its database, for the refresh_token flow', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'voice-crm-doctor-'));
    try {
      await provision();
      Object.assign(env, {
        SALESFORCE_AUTH_FLOW: 'refresh_token',
        SALESFORCE_REFRESH_TOKEN: demo.credentials.refreshToken,
        DATABASE_URL: `sqlite:${join(directory, 'voice-crm.db')}`,
      });

      const run = await doctor();

      expect(failures(run.text)).toEqual([]);
      expect(run.text).toContain('✓ token (refresh_token at');
      expect(run.text).not.toContain(demo.credentials.refreshToken);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
