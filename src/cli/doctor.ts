import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { callsConfig } from '../calls/calls.config';
import { PhoneNumbers } from '../common/phone-numbers';
import { fail, pass, SetupCheckResult, skip } from '../common/setup-check';
import { appConfig, AppConfig, FALLBACK_PHONE_REGION } from '../config/app.config';
import { ConfigValidationError } from '../config/config.util';
import { validateProcessEnvironment } from '../config/env.validation';
import { knowledgeConfiguredIn, salesforceConfig, SalesforceConfig } from '../salesforce/salesforce.config';
import { createSalesforceClient } from '../salesforce/salesforce-client.factory';
import { SalesforceTokenStore } from '../salesforce/salesforce-token.store';
import { DatabaseTokenStore } from '../store/database-token-store';
import { createDatabase } from '../store/database.factory';
import { storeConfig, StoreConfig } from '../store/store.config';
import { twilioConfig, TwilioConfig } from '../twilio/twilio.config';
import { createPhoneVerifier } from '../twilio/twilio.module';
import { TwilioPhoneVerifier } from '../twilio/twilio-phone.verifier';
import { TwilioSetupCheck } from '../twilio/twilio-setup.check';
import { VapiHttpApiClient } from '../vapi/api/vapi-http-api.client';
import { TRANSIENT_CREDENTIAL_RULE, vapiConfig } from '../vapi/vapi.config';
import { CliOutput, runAsCommand, readConfigs, SecretMask, STDOUT } from './cli-output';
import { vapiChecks } from './doctor-vapi.checks';
import { DeploymentConfig, wiringFromConfig } from './wiring-from-config';

const USAGE = `Usage: npm run doctor -- [--caller +14155550100]
       node dist/cli/doctor.js [--caller <number>]

Checks this configuration against Salesforce, Twilio and VAPI (or their fakes), read only, and prints a
checklist with a fix for each failure. Exits 1 when any check fails. Prints no secret.
  --caller <number>  also check that a caller from this number is recognised as a Contact
Run it where the service runs (same environment; for SALESFORCE_AUTH_FLOW=refresh_token, the same
DATABASE_URL, which holds the rotated refresh token).`;

const SYMBOL: Record<SetupCheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗', skip: '-' };

interface Section {
  title: string;
  run(): Promise<SetupCheckResult[]>;
}

/** A configuration problem (`NAME: message (rule)`) as a failed check naming the variable. */
function configurationResult(problem: string): SetupCheckResult {
  const [name, ...rest] = problem.split(': ');
  const message = rest.join(': ');
  const rule = /\((\w+)\)$/.exec(message)?.[1];
  const detail = rule ? message.slice(0, -(rule.length + 2)).trim() : message;
  return rule === TRANSIENT_CREDENTIAL_RULE
    ? fail(name, detail, `npm run provision, then set ${name} to the id it prints`)
    : fail(name, detail, `set ${name} as .env.example describes`);
}

async function salesforceSection(
  salesforce: SalesforceConfig,
  app: AppConfig,
  store: StoreConfig,
  callerPhone: string | undefined,
): Promise<SetupCheckResult[]> {
  // Rotated refresh tokens live in the service's database: reusing an old one revokes them all.
  const database =
    salesforce.authFlow === 'refresh_token'
      ? await createDatabase(store.location, { poolMax: 2, busyTimeoutMs: store.busyTimeoutMs })
      : undefined;
  const tokenStore: SalesforceTokenStore | undefined = database
    ? new DatabaseTokenStore(database)
    : undefined;
  const assembly = createSalesforceClient(salesforce, {
    registry: new Registry(),
    phones: new PhoneNumbers(app.defaultPhoneRegion),
    tokenStore,
  });
  try {
    return await assembly.client.checkSetup({ callerPhone });
  } finally {
    await assembly.close();
    await database?.destroy();
  }
}

async function twilioSection(twilio: TwilioConfig): Promise<SetupCheckResult[]> {
  const { accountSid, authToken } = twilio;
  if (!accountSid || !authToken) {
    return [skip('Twilio', 'not configured: no SMS confirmations, and VAPI cannot import the number')];
  }
  const results = await new TwilioSetupCheck({
    accountSid,
    authToken,
    fromNumber: twilio.fromNumber,
    messagingServiceSid: twilio.messagingServiceSid,
    apiUrl: twilio.apiUrl,
    messagingApiUrl: twilio.messagingApiUrl,
    timeoutMs: twilio.timeoutMs,
  }).run();
  const verifier = createPhoneVerifier(twilio);
  try {
    return [...results, ...(await verifier.checkSetup())];
  } finally {
    if (verifier instanceof TwilioPhoneVerifier) await verifier.onModuleDestroy();
  }
}

async function vapiSection(deployment: DeploymentConfig): Promise<SetupCheckResult[]> {
  const { vapi } = deployment;
  if (!vapi.apiKey) {
    return [
      fail(
        'VAPI_API_KEY',
        'not set: nothing on the VAPI side can be checked, and calls whose end-of-call report was lost cannot be recovered',
        'set VAPI_API_KEY to the private API key (VAPI dashboard → Organization → API Keys)',
      ),
    ];
  }
  const wiring = wiringFromConfig(deployment, { knowledge: knowledgeConfiguredIn(process.env) });
  if (Array.isArray(wiring)) {
    return wiring.map(({ variable, why }) => fail(variable, `not set: ${why}`, `set ${variable}`));
  }
  const api = new VapiHttpApiClient({ apiKey: vapi.apiKey, apiUrl: vapi.apiUrl });
  try {
    return await vapiChecks(api, wiring, {
      credentialId: vapi.serverCredentialId,
      assistantId: vapi.assistantId,
    });
  } finally {
    await api.onModuleDestroy();
  }
}

/** `npm run doctor`: see USAGE. Returns the exit code (0 no check failed, 1 some did, 2 bad usage). */
export async function runDoctor(argv: string[], output: CliOutput = STDOUT): Promise<number> {
  let caller: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { caller: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) {
      output.line(USAGE);
      return 0;
    }
    caller = values.caller;
  } catch (error) {
    output.line(error instanceof Error ? error.message : String(error));
    output.line(USAGE);
    return 2;
  }
  // The adapters log their retries and refusals; here the checklist says it all.
  Logger.overrideLogger(false);

  const configuration: SetupCheckResult[] = [];
  try {
    validateProcessEnvironment();
    configuration.push(pass('every variable', 'valid, and the service would start with them'));
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    configuration.push(...error.problems.map(configurationResult));
  }
  const app = readConfigs({ app: appConfig });
  const phones = new PhoneNumbers(
    'config' in app ? app.config.app.defaultPhoneRegion : FALLBACK_PHONE_REGION,
  );
  const callerPhone = caller === undefined ? undefined : phones.toE164(caller);
  if (caller !== undefined && !callerPhone) {
    output.line('--caller must be a phone number');
    return 2;
  }
  const salesforce = readConfigs({ app: appConfig, salesforce: salesforceConfig, store: storeConfig });
  const twilio = readConfigs({ twilio: twilioConfig });
  const deployment = readConfigs({
    app: appConfig,
    vapi: vapiConfig,
    twilio: twilioConfig,
    calls: callsConfig,
  });
  const mask = new SecretMask([
    ...('config' in deployment ? [...deployment.config.vapi.secrets, deployment.config.vapi.apiKey] : []),
    ...('config' in twilio ? [twilio.config.twilio.authToken] : []),
    ...('config' in salesforce
      ? [
          salesforce.config.salesforce.clientSecret,
          salesforce.config.salesforce.refreshToken,
          salesforce.config.salesforce.privateKey,
        ]
      : []),
    ...('config' in app ? [app.config.app.adminApiKey] : []),
  ]);
  const invalid = (): Promise<SetupCheckResult[]> =>
    Promise.resolve([skip('not checked', 'its configuration is invalid (see above)')]);
  const sections: Section[] = [
    { title: 'Configuration', run: () => Promise.resolve(configuration) },
    'config' in salesforce
      ? {
          title: `Salesforce (${salesforce.config.salesforce.authFlow} at ${salesforce.config.salesforce.loginUrl})`,
          run: () =>
            salesforceSection(
              salesforce.config.salesforce,
              salesforce.config.app,
              salesforce.config.store,
              callerPhone,
            ),
        }
      : { title: 'Salesforce', run: invalid },
    'config' in twilio
      ? { title: `Twilio (${twilio.config.twilio.apiUrl})`, run: () => twilioSection(twilio.config.twilio) }
      : { title: 'Twilio', run: invalid },
    'config' in deployment
      ? { title: `VAPI (${deployment.config.vapi.apiUrl})`, run: () => vapiSection(deployment.config) }
      : { title: 'VAPI', run: invalid },
  ];

  output.line('voice-crm doctor: this configuration against the vendors (read only; no secret is printed)');
  const all: SetupCheckResult[] = [];
  for (const section of sections) {
    output.line();
    output.line(section.title);
    // A check that throws (a database that cannot be opened, …) is a failed check, not a crash.
    const results = await section
      .run()
      .catch((error: unknown) => [
        fail(
          'could not be checked',
          error instanceof Error ? error.message : String(error),
          'see the message',
        ),
      ]);
    all.push(...results);
    for (const { status, check, detail, fix } of results) {
      output.line(mask.text(`  ${SYMBOL[status]} ${check}${detail ? `: ${detail}` : ''}`));
      if (fix && (status === 'fail' || status === 'warn')) output.line(mask.text(`      fix: ${fix}`));
    }
  }
  const failed = all.filter((result) => result.status === 'fail').length;
  const warnings = all.filter((result) => result.status === 'warn').length;
  const warned = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  output.line();
  output.line(
    failed > 0
      ? `✗ ${failed} check${failed === 1 ? '' : 's'} failed${warned}: fix them and run npm run doctor again.`
      : `✓ No check failed${warned}.`,
  );
  return failed > 0 ? 1 : 0;
}

if (require.main === module) runAsCommand('doctor', runDoctor);
