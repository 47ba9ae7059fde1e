import type { Provider } from '@nestjs/common';
import { createDemoOrg, DemoOrgRecords, seedDemoOrg } from '../fakes/salesforce/demo-org';
import { SalesforceFake, startSalesforceFake } from '../fakes/salesforce/salesforce-fake';
import { startTwilioFake, TwilioFake } from '../fakes/twilio/twilio-fake';
import { startVapiApiFake, VapiApiFake } from '../fakes/vapi-api/vapi-api-fake';
import { RunningApp, startApp } from './app-harness';

export const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
export const TWILIO_TOKEN = 'test-twilio-auth-token-0123';
export const VAPI_API_KEY = 'test-vapi-private-key-0123';
export const SUPPORT_LINE = '+14155550199';
/** The Verify service the Twilio fake knows: set TWILIO_VERIFY_SERVICE_SID to it to verify callers. */
export const VERIFY_SERVICE_SID = `VA${'5e'.repeat(16)}`;

export interface CallWorld {
  app: RunningApp;
  salesforce: SalesforceFake;
  twilio: TwilioFake;
  vapiApi: VapiApiFake;
  /** Ids of the seeded demo org (Jane Doe at (415) 555-0100, …). */
  org: DemoOrgRecords;
  close(): Promise<void>;
}

/**
 * The whole system for end-to-end call tests: the real service (SQLite in a temp dir) wired to local fakes of
 * Salesforce (seeded demo org, client_credentials), Twilio and the VAPI API over real HTTP on loopback.
 */
export async function startCallWorld(
  env: Record<string, string | undefined> = {},
  options: {
    salesforce?: { caseExternalIdField?: string; searchIndexLagMs?: number };
    extraProviders?: Provider[];
  } = {},
): Promise<CallWorld> {
  const demo = createDemoOrg();
  let org: DemoOrgRecords | undefined;
  const salesforce = await startSalesforceFake({
    clients: demo.clients,
    seed: (seeder) => {
      org = seedDemoOrg(seeder);
    },
    ...options.salesforce,
  });
  const twilio = await startTwilioFake({
    accountSid: TWILIO_SID,
    authToken: TWILIO_TOKEN,
    verifyServiceSids: [VERIFY_SERVICE_SID],
  });
  const vapiApi = await startVapiApiFake({ apiKey: VAPI_API_KEY });
  const app = await startApp(
    {
      SALESFORCE_AUTH_FLOW: 'client_credentials',
      SALESFORCE_LOGIN_URL: salesforce.url,
      SALESFORCE_CLIENT_ID: demo.credentials.clientId,
      SALESFORCE_CLIENT_SECRET: demo.credentials.clientSecret,
      SALESFORCE_REQUEST_TIMEOUT_MS: '2000',
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_FROM_NUMBER: '+14155550000',
      TWILIO_API_URL: twilio.url,
      TWILIO_VERIFY_API_URL: twilio.url,
      VAPI_API_KEY,
      VAPI_API_URL: vapiApi.url,
      TRANSFER_NUMBER: SUPPORT_LINE,
      COMPANY_NAME: 'Acme support',
      DELIVERY_POLL_INTERVAL_MS: '50',
      DELIVERY_BACKOFF_BASE_MS: '50',
      DELIVERY_BACKOFF_MAX_MS: '500',
      RECONCILER_ENABLED: 'false',
      ...env,
    },
    { extraProviders: options.extraProviders },
  );
  if (!org) throw new Error('demo org was not seeded');
  return {
    app,
    salesforce,
    twilio,
    vapiApi,
    org,
    close: async () => {
      await app.close();
      await Promise.all([salesforce.close(), twilio.close(), vapiApi.close()]);
    },
  };
}

/** Waits until `check` returns a truthy value (the outbox works in the background), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<Awaited<T>>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
