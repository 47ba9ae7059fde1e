import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoOrg } from './demo-org';
import { startSalesforceFake } from './salesforce-fake';

/**
 * Runs the Salesforce fake on its own with the demo org (used by `npm run demo` and `npm run bench` as a child
 * process). Prints one JSON line with the URL and the credentials to configure the service with.
 *
 * FAKE_SALESFORCE_PORT (default 4010), FAKE_SALESFORCE_CASE_EXTERNAL_ID_FIELD (default Voice_Call_Key__c;
 * `none` for no field), FAKE_SALESFORCE_SEARCH_LAG_MS (default 0), FAKE_SALESFORCE_DAILY_LIMIT (default 100000),
 * FAKE_SALESFORCE_SESSION_TIMEOUT_SECONDS (default 7200), FAKE_SALESFORCE_PRIVATE_KEY_FILE (where the JWT signing
 * key is written; default in the OS temp directory).
 */
async function main(): Promise<void> {
  const env = process.env;
  const org = createDemoOrg();
  const externalId = env.FAKE_SALESFORCE_CASE_EXTERNAL_ID_FIELD ?? 'Voice_Call_Key__c';
  const fake = await startSalesforceFake({
    port: Number(env.FAKE_SALESFORCE_PORT ?? 4010),
    clients: org.clients,
    seed: org.seed,
    caseExternalIdField: externalId === 'none' ? undefined : externalId,
    searchIndexLagMs: Number(env.FAKE_SALESFORCE_SEARCH_LAG_MS ?? 0),
    dailyApiLimit: Number(env.FAKE_SALESFORCE_DAILY_LIMIT ?? 100_000),
    sessionTimeoutSeconds: Number(env.FAKE_SALESFORCE_SESSION_TIMEOUT_SECONDS ?? 7200),
  });
  const keyFile = env.FAKE_SALESFORCE_PRIVATE_KEY_FILE ?? join(tmpdir(), 'voice-crm-fake-salesforce-key.pem');
  writeFileSync(keyFile, org.credentials.privateKeyPem, { mode: 0o600 });
  const { clientId, clientSecret, username, audience, refreshToken } = org.credentials;
  const credentials = { clientId, clientSecret, username, audience, refreshToken };
  process.stdout.write(
    `${JSON.stringify({ salesforceFake: { url: fake.url, ...credentials, privateKeyFile: keyFile, caseExternalIdField: externalId === 'none' ? null : externalId } })}\n`,
  );
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `salesforce fake failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
