import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { callsConfig } from '../calls/calls.config';
import { appConfig } from '../config/app.config';
import { twilioConfig } from '../twilio/twilio.config';
import { VapiApiError } from '../vapi/api/vapi-api.errors';
import { VapiHttpApiClient } from '../vapi/api/vapi-http-api.client';
import { vapiConfig } from '../vapi/vapi.config';
import { knowledgeConfiguredIn } from '../salesforce/salesforce.config';
import { CliOutput, runAsCommand, printSettings, readConfigs, SecretMask, STDOUT } from './cli-output';
import { wiringFromConfig } from './wiring-from-config';
import { ProvisionConflict, ProvisionResult, ProvisionStep, VapiProvisioner } from './vapi-provisioner';

const USAGE = `Usage: npm run provision -- [--dry-run] [--assistant]
       node dist/cli/provision.js [--dry-run] [--assistant]

Creates or updates in VAPI (VAPI_API_URL, with VAPI_API_KEY), by name:
  - the webhook credential that signs VAPI's requests with the first VAPI_WEBHOOK_SECRET (hmac mode);
  - the imported Twilio number TWILIO_FROM_NUMBER, wired to PUBLIC_URL/vapi/webhook with that credential and
    TRANSFER_NUMBER as its fallback destination.
  --assistant  also the function tools and a saved assistant (then set VAPI_ASSISTANT_ID to the id printed)
  --dry-run    print what would be sent (secrets masked) and send nothing that writes
A second run changes nothing and says so.`;

const SYMBOL: Record<ProvisionStep['action'], string> = { create: '+', update: '~', unchanged: '=' };

function describe(step: ProvisionStep): string {
  switch (step.action) {
    case 'create':
      return 'create';
    case 'update':
      return `update ${step.differing.join(', ')}`;
    case 'unchanged':
      return 'unchanged';
  }
}

/** `npm run provision`: see USAGE. Returns the exit code (0 done or nothing to do, 1 failed, 2 bad usage). */
export async function runProvision(argv: string[], output: CliOutput = STDOUT): Promise<number> {
  let flags: { dryRun: boolean; assistant: boolean };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        assistant: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      output.line(USAGE);
      return 0;
    }
    flags = { dryRun: values['dry-run'], assistant: values.assistant };
  } catch (error) {
    output.line(error instanceof Error ? error.message : String(error));
    output.line(USAGE);
    return 2;
  }

  const read = readConfigs({ app: appConfig, vapi: vapiConfig, twilio: twilioConfig, calls: callsConfig });
  if ('problems' in read) {
    output.line('✗ The configuration is invalid (variable: rule):');
    for (const problem of read.problems) output.line(`    ${problem}`);
    return 1;
  }
  const { app, vapi, twilio } = read.config;
  const { apiKey } = vapi;
  const wiring = wiringFromConfig(read.config, { knowledge: knowledgeConfiguredIn(process.env) });
  const needs = [
    ...(apiKey ? [] : ['VAPI_API_KEY (a private key: provisioning uses the VAPI REST API)']),
    ...(vapi.authModes.includes('hmac')
      ? []
      : ['hmac in VAPI_AUTH_MODE (provisioning makes an HMAC credential)']),
    ...(Array.isArray(wiring) ? wiring.map(({ variable, why }) => `${variable} (${why})`) : []),
  ];
  if (!apiKey || Array.isArray(wiring) || needs.length > 0) {
    output.line('✗ Provisioning needs:');
    for (const need of needs) output.line(`    ${need}`);
    return 1;
  }
  const mask = new SecretMask([...vapi.secrets, apiKey, twilio.authToken]);
  const api = new VapiHttpApiClient({ apiKey, apiUrl: vapi.apiUrl });
  const report = (step: ProvisionStep): void => {
    output.line(`  ${SYMBOL[step.action]} ${step.label}: ${describe(step)}`);
    for (const note of step.notes) output.line(`      (${note})`);
    if (flags.dryRun && step.request) {
      output.line(`      ${step.request.method} ${step.request.path}`);
      for (const text of mask.json(step.request.body).split('\n')) output.line(`      ${text}`);
    }
  };
  const options = {
    ...flags,
    configured: { credentialId: vapi.serverCredentialId, assistantId: vapi.assistantId },
  };

  output.line(
    `voice-crm provision: VAPI API at ${vapi.apiUrl}${flags.dryRun ? ' (dry run: nothing that writes is sent)' : ''}`,
  );
  if (!app.publicUrl.startsWith('https://')) {
    output.line(`  ! PUBLIC_URL is not https: VAPI sends webhooks only to https URLs`);
  }
  try {
    const result = await new VapiProvisioner(api, wiring, report).run(options);
    const writes = result.steps.filter((step) => step.action !== 'unchanged');
    output.line();
    if (writes.length === 0) {
      output.line('Nothing to change: VAPI already holds what this deployment needs.');
    } else if (flags.dryRun) {
      output.line(`Dry run: ${writes.length} write(s) above would be sent; nothing was sent.`);
    } else {
      output.line(summary(result));
      // VAPI may keep edits as drafts: read back what it holds now rather than trusting the answers.
      const again = await new VapiProvisioner(api, wiring).run({ ...options, dryRun: true });
      const pending = again.steps.filter((step) => step.action !== 'unchanged');
      output.line(
        pending.length === 0
          ? 'Read back: VAPI now holds what was sent.'
          : `! Read back: VAPI does not show yet: ${pending.map((step) => `${step.label} (${describe(step)})`).join('; ')}`,
      );
    }
    printSettings(output, settingsToChange(result, options.configured, flags.dryRun));
    if (vapi.assistantId && !flags.assistant) {
      output.line(
        'Note: VAPI_ASSISTANT_ID is set; run with --assistant to keep that assistant in step with the tools.',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof VapiApiError || error instanceof ProvisionConflict) {
      output.line(`✗ ${mask.text(error.message)}`);
      return 1;
    }
    throw error;
  } finally {
    await api.onModuleDestroy();
  }
}

function summary(result: ProvisionResult): string {
  const count = (action: ProvisionStep['action']) =>
    result.steps.filter((step) => step.action === action).length;
  return `Done: ${count('create')} created, ${count('update')} updated, ${count('unchanged')} unchanged.`;
}

function settingsToChange(
  result: ProvisionResult,
  configured: { credentialId?: string; assistantId?: string },
  dryRun: boolean,
): [string, string][] {
  if (dryRun) return [];
  const settings: [string, string][] = [];
  if (result.credentialId !== configured.credentialId) {
    settings.push(['VAPI_SERVER_CREDENTIAL_ID', result.credentialId]);
  }
  if (result.assistantId && result.assistantId !== configured.assistantId) {
    settings.push(['VAPI_ASSISTANT_ID', result.assistantId]);
  }
  return settings;
}

if (require.main === module) runAsCommand('provision', runProvision);
