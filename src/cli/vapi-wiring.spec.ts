import { AssistantPlanBuilder } from '../calls/assistant-plan.builder';
import type { CallsConfig } from '../calls/calls.config';
import { callToolDefinitions } from '../calls/tools';
import { VerificationPolicy } from '../calls/verification.policy';
import { CallVoice } from '../calls/voice/call-voice';
import { DisabledPhoneVerifier } from '../twilio/twilio-phone.verifier';
import type { AppConfig } from '../config/app.config';
import { AssistantResponseBuilder } from '../vapi/assistant-response.builder';
import { vapiConfig } from '../vapi/vapi.config';
import { configFrom } from '../../test/support/cli-harness';
import { satisfies, VapiWiring } from './vapi-wiring';

const CREDENTIAL_ID = 'cred-0001';
const vapi = configFrom(vapiConfig, {
  VAPI_WEBHOOK_SECRET: 'webhook-secret-wiring-0123456789',
  VAPI_SERVER_CREDENTIAL_ID: CREDENTIAL_ID,
});
const publicUrl = 'https://voice-crm.example.com';
const calls = { companyName: 'Acme support' } as CallsConfig;
const voice = new CallVoice();
const script = new AssistantPlanBuilder(
  calls,
  voice,
  new VerificationPolicy(calls, new DisabledPhoneVerifier(), voice),
).savedScript();
const wiring = new VapiWiring({
  publicUrl,
  vapi,
  twilio: {
    accountSid: `AC${'1'.repeat(32)}`,
    authToken: 'twilio-token-wiring-0123',
    number: '+14155550000',
  },
  fallbackMessage: 'Connecting you.',
  savedScript: script,
  tools: callToolDefinitions(),
});

describe('VapiWiring', () => {
  it('should give the saved assistant exactly the tools and shape of the transient one', () => {
    const definitions = callToolDefinitions();
    const transient = new AssistantResponseBuilder(vapi, { publicUrl } as AppConfig).build(
      { ...script, caller: { identified: false, openCaseCount: 0, openCasesText: '' } },
      definitions,
    ).assistant as { model: { tools: unknown[] } & Record<string, unknown> } & Record<string, unknown>;
    const saved = wiring.assistant(CREDENTIAL_ID, ['t1', 't2', 't3', 't4']).create as typeof transient;

    const savedTools = definitions.map((definition) => wiring.tool(definition, CREDENTIAL_ID).create);
    expect(transient.model.tools).toEqual([...savedTools, { type: 'transferCall' }, { type: 'endCall' }]);
    const { model: transientModel, ...transientRest } = transient;
    const { model: savedModel, ...savedRest } = saved;
    expect(savedRest).toEqual(transientRest);
    expect({ ...savedModel, toolIds: undefined, tools: undefined }).toEqual({
      ...transientModel,
      toolIds: undefined,
      tools: undefined,
    });
  });

  it('should recognise a credential it made whatever secret it holds, and no other', () => {
    const made = { id: '1', provider: 'webhook', name: 'voice-crm webhook 0123456789ab' };

    expect(wiring.isProvisionedCredential(made)).toBe(true);
    expect(wiring.isProvisionedCredential({ ...made, name: 'voice-crm webhooks' })).toBe(false);
    expect(wiring.isProvisionedCredential({ ...made, provider: 'twilio' })).toBe(false);
  });

  it('should name a secret by a short fingerprint that changes with the secret', () => {
    const rotated = new VapiWiring({
      publicUrl,
      vapi: { ...vapi, secrets: ['another-secret-0123456789'] },
      twilio: { accountSid: `AC${'1'.repeat(32)}`, authToken: 'twilio-token-wiring-0123', number: '+1' },
      fallbackMessage: '',
      savedScript: script,
      tools: [],
    });

    expect(rotated.credentialName).not.toBe(wiring.credentialName);
    expect(wiring.credentialName).toMatch(/^voice-crm webhook [0-9a-f]{12}$/);
  });
});

describe('satisfies', () => {
  it('should accept what VAPI adds and refuse what it changed, dropped or reordered', () => {
    expect(satisfies({ url: 'a', n: [1, 2] }, { url: 'a', n: [1, 2], staticIpAddressesEnabled: false })).toBe(
      true,
    );
    expect(satisfies({ url: 'a' }, { url: 'b' })).toBe(false);
    expect(satisfies({ n: [1, 2] }, { n: [2, 1] })).toBe(false);
    expect(satisfies({ n: [1, 2] }, { n: [1, 2, 3] })).toBe(false);
    expect(satisfies({ assistantId: null }, {})).toBe(true);
    expect(satisfies({ assistantId: null }, { assistantId: 'a' })).toBe(false);
  });
});
