import type { VapiResource, VapiResourceBody } from '../vapi/api/vapi-api.types';
import { AssistantDefinitionBuilder } from '../vapi/assistant-definition.builder';
import type { AssistantScript } from '../vapi/vapi-call.handler';
import type { VapiConfig } from '../vapi/vapi.config';
import type { VapiToolDefinition } from '../vapi/vapi-tool.decorator';
import { secretFingerprint } from './secret-fingerprint';

/** Names of what provisioning makes in VAPI (each at most 40 characters, VAPI's limit). */
export const CREDENTIAL_NAME = 'voice-crm webhook';
export const PHONE_NUMBER_NAME = 'voice-crm';

/** The name of the credential provisioning makes for a secret: the secret's fingerprint tells it apart. */
export function credentialNameFor(secret: string): string {
  return `${CREDENTIAL_NAME} ${secretFingerprint(secret)}`;
}

export interface VapiWiringSettings {
  /** PUBLIC_URL without trailing slash. */
  publicUrl: string;
  vapi: Pick<VapiConfig, 'secrets' | 'hmac' | 'assistant'>;
  twilio: { accountSid: string; authToken: string; number: string };
  /** TRANSFER_NUMBER: where VAPI sends callers when this service cannot answer `assistant-request`. */
  transferNumber?: string;
  /** Spoken by VAPI before that transfer. */
  fallbackMessage: string;
  /** What the saved assistant says (LiquidJS on the call's variables). */
  savedScript: AssistantScript;
  tools: VapiToolDefinition[];
}

/**
 * What one resource must look like: the body that creates it, the fields an existing one must match (a
 * subset of what VAPI returns; `null` means "absent") and the body that updates the fields that differ.
 */
export interface DesiredResource {
  create: VapiResourceBody;
  compare: VapiResourceBody;
  update(differing: string[]): VapiResourceBody;
}

/**
 * What VAPI must hold for this deployment: the webhook credential with our secret, the Twilio number wired to
 * our webhook with that credential and a fallback, and (saved assistant) our tools and the assistant. The
 * bodies follow VAPI's OpenAPI DTOs; provisioning sends them and the doctor compares VAPI's state with them.
 * Secrets VAPI does not show again are recognised by the fingerprint in the resource's name.
 */
export class VapiWiring {
  readonly credentialName: string;
  readonly phoneNumberName: string;

  constructor(private readonly settings: VapiWiringSettings) {
    this.credentialName = credentialNameFor(settings.vapi.secrets[0]);
    this.phoneNumberName = `${PHONE_NUMBER_NAME} ${secretFingerprint(settings.twilio.authToken)}`;
  }

  /** The secrets the service accepts, each with the name a credential holding it has. */
  acceptedCredentialNames(): { secretIndex: number; name: string }[] {
    return this.settings.vapi.secrets.map((secret, secretIndex) => ({
      secretIndex,
      name: secretIndex === 0 ? this.credentialName : credentialNameFor(secret),
    }));
  }

  get number(): string {
    return this.settings.twilio.number;
  }

  get tools(): VapiToolDefinition[] {
    return this.settings.tools;
  }

  get webhookUrl(): string {
    return `${this.settings.publicUrl}/vapi/webhook`;
  }

  get transferNumber(): string | undefined {
    return this.settings.transferNumber;
  }

  /** A webhook credential made by provisioning, whatever secret it holds. */
  isProvisionedCredential(resource: VapiResource): boolean {
    return (
      resource.provider === 'webhook' &&
      typeof resource.name === 'string' &&
      (resource.name === CREDENTIAL_NAME || resource.name.startsWith(`${CREDENTIAL_NAME} `))
    );
  }

  /** OAS `CreateWebhookCredentialDTO` with an `HMACAuthenticationPlan` matching our `hmac` mode. */
  credential(): DesiredResource {
    const { secrets, hmac } = this.settings.vapi;
    const plan = {
      type: 'hmac',
      algorithm: hmac.algorithm,
      signatureHeader: hmac.signatureHeader,
      timestampHeader: hmac.timestampHeader,
      includeTimestamp: hmac.payloadTemplate.includes('{timestamp}'),
      payloadFormat: hmac.payloadTemplate,
      signatureEncoding: hmac.encoding,
      ...(hmac.signaturePrefix ? { signaturePrefix: hmac.signaturePrefix } : {}),
    };
    // The first secret signs: the others are still accepted by the service during a rotation.
    const body = {
      provider: 'webhook',
      name: this.credentialName,
      authenticationPlan: { ...plan, secretKey: secrets[0] },
    };
    return {
      create: body,
      compare: { provider: 'webhook', name: this.credentialName, authenticationPlan: plan },
      // The plan is replaced whole, and with it the secret: always send all of it.
      update: () => body,
    };
  }

  /**
   * OAS `CreateTwilioPhoneNumberDTO` / `UpdateTwilioPhoneNumberDTO`: no assistant, squad or workflow (so VAPI
   * sends `assistant-request`), our webhook with the credential, and the fallback destination.
   */
  phoneNumber(credentialId: string): DesiredResource {
    const { twilio, transferNumber, fallbackMessage } = this.settings;
    const fallback = transferNumber
      ? { fallbackDestination: { type: 'number', number: transferNumber, message: fallbackMessage } }
      : {};
    const server = this.definitions(credentialId).server();
    const account = {
      name: this.phoneNumberName,
      twilioAccountSid: twilio.accountSid,
      twilioAuthToken: twilio.authToken,
    };
    const compare = {
      provider: 'twilio',
      number: twilio.number,
      name: this.phoneNumberName,
      twilioAccountSid: twilio.accountSid,
      server,
      ...fallback,
      assistantId: null,
      squadId: null,
      workflowId: null,
    };
    return {
      create: {
        provider: 'twilio',
        number: twilio.number,
        ...account,
        // Leaves the Twilio number's messaging webhook alone: this service sends SMS but receives none.
        smsEnabled: false,
        server,
        ...fallback,
      },
      compare,
      update: (differing) => {
        const changed: Record<string, unknown> = { provider: 'twilio' };
        for (const field of differing) changed[field] = compare[field as keyof typeof compare];
        // The name carries the auth token's fingerprint: a new one means VAPI holds an old token.
        if (differing.includes('name') || differing.includes('twilioAccountSid'))
          Object.assign(changed, account);
        return changed;
      },
    };
  }

  /** OAS `CreateFunctionToolDTO`: the same tool as the transient assistant's, saved. */
  tool(definition: VapiToolDefinition, credentialId: string): DesiredResource {
    return wholeFields({
      ...this.definitions(credentialId).functionTool(definition, this.settings.savedScript),
    });
  }

  /** OAS `CreateAssistantDTO`: the transient assistant's shape, our tools by id, the words on variables. */
  assistant(credentialId: string, toolIds: string[]): DesiredResource {
    return wholeFields(this.definitions(credentialId).assistant(this.settings.savedScript, { toolIds }));
  }

  private definitions(credentialId: string): AssistantDefinitionBuilder {
    return new AssistantDefinitionBuilder({
      publicUrl: this.settings.publicUrl,
      credentialId,
      assistant: this.settings.vapi.assistant,
    });
  }
}

/** A resource whose differing top-level fields are sent whole (PATCH replaces nested objects). */
function wholeFields(body: Record<string, unknown>): DesiredResource {
  return {
    create: body,
    compare: body,
    update: (differing) => Object.fromEntries(differing.map((field) => [field, body[field]])),
  };
}

/**
 * Whether VAPI's value satisfies ours: objects field by field (VAPI may add defaults of its own), arrays item
 * by item with the same length, `null` as absent, anything else equal.
 */
export function satisfies(wanted: unknown, held: unknown): boolean {
  if (wanted === null) return held === null || held === undefined;
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(held) &&
      held.length === wanted.length &&
      wanted.every((item, index) => satisfies(item, held[index]))
    );
  }
  if (typeof wanted === 'object' && wanted !== undefined) {
    if (typeof held !== 'object' || held === null || Array.isArray(held)) return false;
    const record = held as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => satisfies(value, record[key]));
  }
  return wanted === held;
}

/** The top-level fields of `compare` that `held` does not satisfy. */
export function differingFields(compare: VapiResourceBody, held: VapiResource): string[] {
  return Object.keys(compare).filter((field) => !satisfies(compare[field], held[field]));
}
