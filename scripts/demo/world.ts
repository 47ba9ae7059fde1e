import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoOrg, DemoOrgRecords, seedDemoOrg } from '../../test/fakes/salesforce/demo-org';
import { SalesforceFake, startSalesforceFake } from '../../test/fakes/salesforce/salesforce-fake';
import { startTwilioFake, TwilioFake } from '../../test/fakes/twilio/twilio-fake';
import { startVapiApiFake, VapiApiFake } from '../../test/fakes/vapi-api/vapi-api-fake';
import { freePort, startChild, waitForHttp } from '../processes';

/** Fixed numbers of the demo (555-01xx numbers are reserved for fiction). */
export const SUPPORT_LINE = '+14155550198';
export const SMS_FROM = '+14155550000';
export const COMPANY_NAME = 'Northwind support';
export const SPANISH_COMPANY_NAME = 'Northwind';
const CASE_KEY_FIELD = 'Voice_Call_Key__c';

/** One support line: the real service in a child process, speaking one language. */
export interface ServiceLine {
  serviceUrl: string;
  /** GET on an operator endpoint of the service (API key attached). */
  admin(path: string): Promise<{ status: number; body: unknown }>;
  /** The service's own output (warnings and errors only), for diagnosing a failed run. */
  serviceLog(): string;
}

/**
 * What a running demo consists of: three in-process fakes and the real service in a child process (the English
 * line), plus a second instance with ASSISTANT_LANGUAGE=es (the Spanish line) on the same fakes, as a company with
 * one number per language would run it.
 */
export interface DemoWorld extends ServiceLine {
  spanishLine: ServiceLine;
  webhookSecret: string;
  salesforce: SalesforceFake;
  twilio: TwilioFake;
  vapiApi: VapiApiFake;
  org: DemoOrgRecords;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the fakes (seeded demo org) and then `node build/src/main.js` on SQLite in a fresh temp directory,
 * configured for the JWT bearer flow with the key the fake generated. Everything listens on loopback only.
 */
export async function startDemoWorld(timeoutMs: number): Promise<DemoWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'voice-crm-demo-'));
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const demo = createDemoOrg();
    let org: DemoOrgRecords | undefined;
    const salesforce = await startSalesforceFake({
      clients: demo.clients,
      seed: (seeder) => {
        org = seedDemoOrg(seeder);
      },
      caseExternalIdField: CASE_KEY_FIELD,
    });
    closers.push(() => salesforce.close());
    if (!org) throw new Error('the demo org was not seeded');
    const privateKeyFile = join(dataDir, 'salesforce-jwt-key.pem');
    writeFileSync(privateKeyFile, demo.credentials.privateKeyPem, { mode: 0o600 });

    const twilioSid = `AC${randomBytes(16).toString('hex')}`;
    const twilioToken = randomBytes(16).toString('hex');
    const verifyServiceSid = `VA${randomBytes(16).toString('hex')}`;
    const twilio = await startTwilioFake({
      accountSid: twilioSid,
      authToken: twilioToken,
      sendStatusCallbacks: true,
      verifyServiceSids: [verifyServiceSid],
    });
    closers.push(() => twilio.close());
    const vapiApiKey = randomBytes(16).toString('hex');
    const vapiApi = await startVapiApiFake({ apiKey: vapiApiKey });
    closers.push(() => vapiApi.close());

    const webhookSecret = randomBytes(24).toString('hex');
    const adminKey = randomBytes(24).toString('hex');
    const startLine = async (language: 'en' | 'es'): Promise<ServiceLine> => {
      const port = await freePort();
      const serviceUrl = `http://127.0.0.1:${port}`;
      const service = startChild('src/main.js', {
        PORT: String(port),
        PUBLIC_URL: serviceUrl,
        // Warnings and errors only, kept in memory and shown only if the demo fails.
        LOG_LEVEL: 'warn',
        DATABASE_URL: `sqlite:${join(dataDir, `voice-crm-${language}.db`)}`,
        ASSISTANT_LANGUAGE: language,
        VAPI_AUTH_MODE: 'hmac',
        VAPI_WEBHOOK_SECRET: webhookSecret,
        // The credential that signs VAPI's webhooks (npm run provision creates it in a real deployment).
        VAPI_SERVER_CREDENTIAL_ID: 'demo-webhook-credential',
        VAPI_API_URL: vapiApi.url,
        VAPI_API_KEY: vapiApiKey,
        ADMIN_API_KEY: adminKey,
        OPERATOR_RATE_LIMIT_PER_MINUTE: '6000',
        SALESFORCE_AUTH_FLOW: 'jwt_bearer',
        SALESFORCE_LOGIN_URL: salesforce.url,
        SALESFORCE_CLIENT_ID: demo.credentials.clientId,
        SALESFORCE_USERNAME: demo.credentials.username,
        SALESFORCE_PRIVATE_KEY_FILE: privateKeyFile,
        SALESFORCE_TOKEN_AUDIENCE: demo.credentials.audience,
        SALESFORCE_CASE_EXTERNAL_ID_FIELD: CASE_KEY_FIELD,
        SALESFORCE_REQUEST_TIMEOUT_MS: '2000',
        TWILIO_ACCOUNT_SID: twilioSid,
        TWILIO_AUTH_TOKEN: twilioToken,
        TWILIO_FROM_NUMBER: SMS_FROM,
        TWILIO_API_URL: twilio.url,
        // Callers confirm who they are with a texted code before a contact change (VERIFY_BEFORE's default).
        TWILIO_VERIFY_SERVICE_SID: verifyServiceSid,
        TWILIO_VERIFY_API_URL: twilio.url,
        TRANSFER_NUMBER: SUPPORT_LINE,
        // The colleague is briefed before the caller is put through; a busy line comes back to the agent.
        TRANSFER_MODE: 'warm',
        // The fake org's Lightning Knowledge articles keep their answer in Answer__c.
        KNOWLEDGE_ANSWER_FIELD: 'Answer__c',
        // The Spanish line names the company without English words: "Gracias por llamar a Northwind".
        COMPANY_NAME: language === 'en' ? COMPANY_NAME : SPANISH_COMPANY_NAME,
        // Quick enough that the outage call is short and the outbox catches up within a second of recovery.
        TOOL_WRITE_BUDGET_MS: '1500',
        DELIVERY_POLL_INTERVAL_MS: '100',
        DELIVERY_BACKOFF_BASE_MS: '200',
        DELIVERY_BACKOFF_MAX_MS: '1000',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
      });
      closers.push(() => service.stop());
      await waitForHttp(`${serviceUrl}/health/live`, timeoutMs, service);
      return {
        serviceUrl,
        admin: async (path) => {
          const response = await fetch(`${serviceUrl}${path}`, {
            headers: { 'x-api-key': adminKey },
            signal: AbortSignal.timeout(5_000),
          });
          const text = await response.text();
          return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
        },
        serviceLog: () => service.output(),
      };
    };
    const [english, spanishLine] = await Promise.all([startLine('en'), startLine('es')]);

    return {
      ...english,
      spanishLine,
      webhookSecret,
      salesforce,
      twilio,
      vapiApi,
      org,
      dataDir,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
