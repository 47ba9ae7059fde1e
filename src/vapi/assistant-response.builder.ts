import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../config/app.config';
import { vapiConfig, VapiConfig } from './vapi.config';
import { AssistantPlan } from './vapi-call.handler';
import { SUBSCRIBED_MESSAGE_TYPES } from './vapi-message-types';
import { AssistantRequestResponse } from './vapi-responses';
import { toolParameters, VapiToolDefinition } from './vapi-tool.decorator';

/** Seconds VAPI waits for a tool answer (its default; `server.timeoutSeconds`). */
export const TOOL_TIMEOUT_SECONDS = 20;

/**
 * Turns the workflow's plan into the answer to `assistant-request`: the configured assistant with variables
 * (`VAPI_ASSISTANT_ID`), or a transient assistant (VAPI's CreateAssistantDTO) with the tools pointing at this
 * server.
 */
@Injectable()
export class AssistantResponseBuilder {
  constructor(
    @Inject(vapiConfig.KEY) private readonly config: VapiConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  build(plan: AssistantPlan, tools: VapiToolDefinition[]): AssistantRequestResponse {
    const { caller } = plan;
    if (this.config.assistantId) {
      return {
        assistantId: this.config.assistantId,
        assistantOverrides: {
          variableValues: {
            firstName: caller.firstName ?? '',
            identified: caller.identified,
            openCaseCount: caller.openCaseCount,
            openCases: caller.openCasesText,
          },
        },
      };
    }
    return { assistant: this.transientAssistant(plan, tools) };
  }

  private transientAssistant(plan: AssistantPlan, tools: VapiToolDefinition[]): Record<string, unknown> {
    const { assistant, serverCredentialId } = this.config;
    const server = {
      url: `${this.app.publicUrl}/vapi/webhook`,
      timeoutSeconds: TOOL_TIMEOUT_SECONDS,
      ...(serverCredentialId ? { credentialId: serverCredentialId } : {}),
    };
    return {
      name: 'voice-crm support agent',
      firstMessage: plan.firstMessage,
      firstMessageMode: 'assistant-speaks-first',
      model: {
        provider: assistant.modelProvider,
        model: assistant.model,
        temperature: 0.2,
        messages: [{ role: 'system', content: plan.systemPrompt }],
        tools: [
          ...tools.map((tool) => ({
            type: 'function',
            function: { name: tool.name, description: tool.description, parameters: toolParameters(tool) },
            server,
            messages: [{ type: 'request-start', content: plan.toolRequestStart, blocking: false }],
          })),
          // No destinations: VAPI asks us with transfer-destination-request, so the hand-off is recorded.
          { type: 'transferCall' },
          { type: 'endCall' },
        ],
      },
      voice: { provider: assistant.voiceProvider, voiceId: assistant.voiceId },
      transcriber: {
        provider: assistant.transcriberProvider,
        model: assistant.transcriberModel,
        language: assistant.language,
      },
      serverMessages: SUBSCRIBED_MESSAGE_TYPES,
      server,
      endCallMessage: plan.endCallMessage,
      maxDurationSeconds: 1800,
    };
  }
}
