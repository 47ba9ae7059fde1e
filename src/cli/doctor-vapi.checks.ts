import { fail, pass, SetupCheckResult, skip, warn } from '../common/setup-check';
import { VapiApiClient } from '../vapi/api/vapi-api.client';
import { VapiApiError, VapiApiErrorCode } from '../vapi/api/vapi-api.errors';
import type { VapiResource } from '../vapi/api/vapi-api.types';
import { VapiProvisioner } from './vapi-provisioner';
import { satisfies, VapiWiring } from './vapi-wiring';

const PROVISION = 'npm run provision';

export interface VapiExpectations {
  /** VAPI_SERVER_CREDENTIAL_ID and VAPI_ASSISTANT_ID as configured. */
  credentialId?: string;
  assistantId?: string;
}

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/**
 * The VAPI side as this deployment needs it, read only: the key works; the Twilio number is imported, answers
 * with `assistant-request` to PUBLIC_URL, is signed by our credential (whose name tells which of our secrets
 * it holds) and has a fallback destination; a saved assistant (VAPI_ASSISTANT_ID) and its tools are what
 * `npm run provision -- --assistant` would make.
 */
export async function vapiChecks(
  api: VapiApiClient,
  wiring: VapiWiring,
  expected: VapiExpectations,
): Promise<SetupCheckResult[]> {
  let numbers: VapiResource[];
  try {
    numbers = await api.listResources('phone-number');
  } catch (error) {
    if (!(error instanceof VapiApiError)) throw error;
    return error.code === VapiApiErrorCode.AUTH_FAILED
      ? [
          fail(
            'VAPI_API_KEY',
            error.message,
            'use the private API key (VAPI dashboard → Organization → API Keys)',
          ),
        ]
      : [fail('VAPI API reachable', error.message, 'check VAPI_API_URL; try again')];
  }
  const results = [pass('VAPI_API_KEY', 'accepted')];
  const label = `phone number ${wiring.number}`;
  const number = numbers.find((found) => found.number === wiring.number);
  if (!number) {
    return [...results, fail(label, 'not imported into VAPI (TWILIO_FROM_NUMBER)', PROVISION)];
  }
  results.push(pass(label, 'imported'));

  const bound = ['assistantId', 'squadId', 'workflowId'].filter((field) => typeof number[field] === 'string');
  results.push(
    bound.length === 0
      ? pass('assistant-request', 'the number has no assistant of its own, so VAPI asks this service')
      : fail(
          'assistant-request',
          `the number has a ${bound.join(' and ')}: VAPI never asks this service`,
          PROVISION,
        ),
  );

  const server = object(number.server);
  results.push(
    server?.url === wiring.webhookUrl
      ? pass('server URL', 'PUBLIC_URL/vapi/webhook')
      : fail(
          'server URL',
          `VAPI sends the number's messages to ${typeof server?.url === 'string' ? server.url : 'no URL'}, not ${wiring.webhookUrl}`,
          `set PUBLIC_URL to where this service is reachable, then ${PROVISION}`,
        ),
  );
  results.push(...(await credentialChecks(api, wiring, server?.credentialId, expected)));

  const fallback = object(number.fallbackDestination);
  if (typeof fallback?.number !== 'string') {
    results.push(
      fail(
        'fallbackDestination',
        'none: VAPI hangs up on callers whenever this service cannot answer assistant-request',
        `set TRANSFER_NUMBER, then ${PROVISION}`,
      ),
    );
  } else if (wiring.transferNumber && fallback.number !== wiring.transferNumber) {
    results.push(warn('fallbackDestination', 'set, but not to TRANSFER_NUMBER', PROVISION));
  } else {
    results.push(pass('fallbackDestination', 'set'));
  }
  results.push(
    number.name === wiring.phoneNumberName
      ? pass('Twilio credentials in VAPI', 'VAPI holds TWILIO_AUTH_TOKEN')
      : warn(
          'Twilio credentials in VAPI',
          'VAPI may hold another Twilio auth token than TWILIO_AUTH_TOKEN (transfers fail with a rotated one)',
          PROVISION,
        ),
  );
  results.push(await savedAssistantCheck(api, wiring, expected));
  return results;
}

async function credentialChecks(
  api: VapiApiClient,
  wiring: VapiWiring,
  credentialId: unknown,
  expected: VapiExpectations,
): Promise<SetupCheckResult[]> {
  const check = 'webhook credential';
  if (typeof credentialId !== 'string') {
    return [fail(check, "the number's messages are sent unsigned: every one is refused with 401", PROVISION)];
  }
  const results: SetupCheckResult[] = [];
  // Only the transient assistant carries VAPI_SERVER_CREDENTIAL_ID; a saved one is checked as a whole below.
  if (!expected.assistantId && expected.credentialId !== credentialId) {
    results.push(
      fail(
        'VAPI_SERVER_CREDENTIAL_ID',
        expected.credentialId
          ? "names another credential than the number's: the assistant's messages would be signed otherwise"
          : 'not set: the service refuses to start with the transient assistant in hmac or bearer mode',
        `set VAPI_SERVER_CREDENTIAL_ID=${credentialId}`,
      ),
    );
  }
  const credential = (await api.listResources('credential')).find((found) => found.id === credentialId);
  if (!credential)
    return [...results, fail(check, 'the number names a credential that does not exist', PROVISION)];
  const plan = wiring.credential().compare.authenticationPlan;
  if (!satisfies(plan, credential.authenticationPlan)) {
    return [
      ...results,
      fail(
        check,
        'its HMAC plan differs from VAPI_AUTH_MODE hmac and VAPI_HMAC_* (algorithm, headers, template)',
        PROVISION,
      ),
    ];
  }
  const holds = wiring.acceptedCredentialNames().find(({ name }) => name === credential.name);
  if (!holds) {
    const made = wiring.isProvisionedCredential(credential);
    results.push(
      made
        ? fail(
            check,
            'it signs with a secret that is not in VAPI_WEBHOOK_SECRET: every message is refused with 401',
            PROVISION,
          )
        : warn(
            check,
            'made outside npm run provision: its secret cannot be compared with VAPI_WEBHOOK_SECRET',
            PROVISION,
          ),
    );
  } else if (holds.secretIndex > 0) {
    results.push(
      warn(
        check,
        `signs with secret ${holds.secretIndex + 1} of VAPI_WEBHOOK_SECRET (a rotation in progress)`,
        `${PROVISION} to sign with the first`,
      ),
    );
  } else {
    results.push(pass(check, 'HMAC with the first secret of VAPI_WEBHOOK_SECRET'));
  }
  return results;
}

async function savedAssistantCheck(
  api: VapiApiClient,
  wiring: VapiWiring,
  expected: VapiExpectations,
): Promise<SetupCheckResult> {
  const check = 'saved assistant (VAPI_ASSISTANT_ID)';
  if (!expected.assistantId) return skip(check, 'not used: the service answers with a transient assistant');
  const plan = await new VapiProvisioner(api, wiring).run({
    dryRun: true,
    assistant: true,
    configured: { credentialId: expected.credentialId, assistantId: expected.assistantId },
  });
  const assistant = plan.steps.find((step) => step.kind === 'assistant');
  if (assistant?.id !== expected.assistantId) {
    return fail(
      check,
      'names no assistant in VAPI',
      `${PROVISION} -- --assistant, then set the id it prints`,
    );
  }
  const differing = plan.steps.filter((step) => step.kind !== 'credential' && step.kind !== 'phone-number');
  const stale = differing.filter((step) => step.action !== 'unchanged');
  return stale.length === 0
    ? pass(check, "its tools, server and words are this version's")
    : fail(
        check,
        `differs from this version: ${stale.map((step) => step.label).join(', ')}`,
        `${PROVISION} -- --assistant`,
      );
}
