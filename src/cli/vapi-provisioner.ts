import { VapiApiClient } from '../vapi/api/vapi-api.client';
import type { VapiResource, VapiResourceBody, VapiResourceKind } from '../vapi/api/vapi-api.types';
import { ASSISTANT_NAME } from '../vapi/assistant-definition.builder';
import { CREDENTIAL_NAME, DesiredResource, differingFields, VapiWiring } from './vapi-wiring';

export type StepAction = 'create' | 'update' | 'unchanged';

/** One resource brought to what this deployment needs, or (dry run) what would be sent for it. */
export interface ProvisionStep {
  kind: VapiResourceKind;
  /** For people: `credential "voice-crm webhook 1a2b…"`, `tool lookupCase`, … */
  label: string;
  action: StepAction;
  /** The resource's id; for a create in a dry run, a placeholder in angle brackets. */
  id: string;
  /** The write (absent when unchanged). */
  request?: { method: 'POST' | 'PATCH'; path: string; body: VapiResourceBody };
  /** Top-level fields that differed (updates). */
  differing: string[];
  notes: string[];
}

export interface ProvisionOptions {
  /** Read only: report the writes instead of sending them. */
  dryRun: boolean;
  /** Also the function tools and the saved assistant. */
  assistant: boolean;
  /** Ids the deployment is configured with, preferred over a match by name. */
  configured: { credentialId?: string; assistantId?: string };
}

export interface ProvisionResult {
  steps: ProvisionStep[];
  credentialId: string;
  assistantId?: string;
}

export class ProvisionConflict extends Error {
  override readonly name = 'ProvisionConflict';
}

const placeholder = (label: string): string => `<id of the new ${label}>`;

/**
 * Brings VAPI to what `VapiWiring` describes, by name and idempotently: each resource is found (by the id the
 * deployment is configured with, else by name or number), compared with what it must be, and created, updated
 * in the fields that differ, or left alone. Order matters: the credential's id goes on the number, the tools and
 * the assistant; the tools' ids go on the assistant. Writes are never retried (see `VapiApiClient`).
 */
export class VapiProvisioner {
  constructor(
    private readonly api: VapiApiClient,
    private readonly wiring: VapiWiring,
    /** Told of each step as soon as it is done, so a failure later still shows what was changed. */
    private readonly onStep: (step: ProvisionStep) => void = () => undefined,
  ) {}

  async run(options: ProvisionOptions): Promise<ProvisionResult> {
    const steps: ProvisionStep[] = [];
    const record = (step: ProvisionStep): ProvisionStep => {
      steps.push(step);
      this.onStep(step);
      return step;
    };

    const credential = record(await this.credential(options));
    record(await this.phoneNumber(credential.id, options));
    if (!options.assistant) return { steps, credentialId: credential.id };

    const tools = await this.api.listResources('tool');
    const assistants = await this.api.listResources('assistant');
    const existingAssistant =
      assistants.find((found) => found.id === options.configured.assistantId) ??
      assistants.find((found) => found.name === ASSISTANT_NAME);
    const toolIds: string[] = [];
    for (const definition of this.wiring.tools) {
      const step = record(
        await this.converge(
          'tool',
          `tool ${definition.name}`,
          this.pickTool(tools, definition.name, existingAssistant),
          this.wiring.tool(definition, credential.id),
          options,
        ),
      );
      toolIds.push(step.id);
    }
    const assistant = record(
      await this.converge(
        'assistant',
        `assistant "${ASSISTANT_NAME}"`,
        existingAssistant,
        this.wiring.assistant(credential.id, toolIds),
        options,
      ),
    );
    return { steps, credentialId: credential.id, assistantId: assistant.id };
  }

  private async credential(options: ProvisionOptions): Promise<ProvisionStep> {
    const credentials = await this.api.listResources('credential');
    const configured = credentials.find((found) => found.id === options.configured.credentialId);
    if (configured && configured.provider !== 'webhook') {
      throw new ProvisionConflict(
        `VAPI_SERVER_CREDENTIAL_ID names a ${String(configured.provider)} credential, not a webhook credential: unset it to let provisioning make one`,
      );
    }
    const provisioned = credentials.filter((found) => this.wiring.isProvisionedCredential(found));
    const existing =
      configured ?? provisioned.find((found) => found.name === this.wiring.credentialName) ?? provisioned[0];
    const step = await this.converge(
      'credential',
      `credential "${this.wiring.credentialName}"`,
      existing,
      this.wiring.credential(),
      options,
    );
    if (step.differing.includes('name') && existing) {
      step.notes.push(
        'its secret is replaced by the first of VAPI_WEBHOOK_SECRET (VAPI signs with it at once)',
      );
    }
    if (provisioned.length > 1) {
      step.notes.push(
        `${provisioned.length} credentials are named "${CREDENTIAL_NAME}…"; the others are left alone`,
      );
    }
    return step;
  }

  private async phoneNumber(credentialId: string, options: ProvisionOptions): Promise<ProvisionStep> {
    const numbers = await this.api.listResources('phone-number');
    const existing = numbers.find((found) => found.number === this.wiring.number);
    if (existing && existing.provider !== 'twilio') {
      throw new ProvisionConflict(
        `${this.wiring.number} is in VAPI as a ${String(existing.provider)} number, not an imported Twilio number: remove it in VAPI's dashboard first`,
      );
    }
    const step = await this.converge(
      'phone-number',
      `phone number ${this.wiring.number}`,
      existing,
      this.wiring.phoneNumber(credentialId),
      options,
    );
    const bound = ['assistantId', 'squadId', 'workflowId'].filter((field) => step.differing.includes(field));
    if (bound.length > 0) {
      step.notes.push(
        `${bound.join(', ')} cleared: VAPI sends assistant-request only to a number without them`,
      );
    }
    if (!this.wiring.transferNumber) {
      step.notes.push(
        'no fallbackDestination: set TRANSFER_NUMBER, or VAPI hangs up on callers whenever this service cannot answer',
      );
    }
    return step;
  }

  /** Tools with our function name: the assistant's own, else one pointing at our webhook, else any. */
  private pickTool(tools: VapiResource[], name: string, assistant?: VapiResource): VapiResource | undefined {
    const named = tools.filter(
      (tool) => tool.type === 'function' && (tool.function as { name?: unknown } | undefined)?.name === name,
    );
    const assistantTools = (assistant?.model as { toolIds?: unknown } | undefined)?.toolIds;
    const ofAssistant = Array.isArray(assistantTools) ? assistantTools : [];
    return (
      named.find((tool) => ofAssistant.includes(tool.id)) ??
      named.find((tool) => (tool.server as { url?: unknown } | undefined)?.url === this.wiring.webhookUrl) ??
      named[0]
    );
  }

  private async converge(
    kind: VapiResourceKind,
    label: string,
    existing: VapiResource | undefined,
    desired: DesiredResource,
    options: ProvisionOptions,
  ): Promise<ProvisionStep> {
    if (!existing) {
      const request = { method: 'POST' as const, path: `/${kind}`, body: desired.create };
      const id = options.dryRun
        ? placeholder(label)
        : (await this.api.createResource(kind, desired.create)).id;
      return { kind, label, action: 'create', id, request, differing: [], notes: [] };
    }
    const differing = differingFields(desired.compare, existing);
    if (differing.length === 0) {
      return { kind, label, action: 'unchanged', id: existing.id, differing, notes: [] };
    }
    const body = desired.update(differing);
    const request = { method: 'PATCH' as const, path: `/${kind}/${existing.id}`, body };
    if (!options.dryRun) await this.api.updateResource(kind, existing.id, body);
    return { kind, label, action: 'update', id: existing.id, request, differing, notes: [] };
  }
}
