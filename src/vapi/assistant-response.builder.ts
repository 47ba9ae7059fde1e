import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../config/app.config';
import { AssistantDefinitionBuilder, assistantVariables } from './assistant-definition.builder';
import { vapiConfig, VapiConfig } from './vapi.config';
import { AssistantPlan } from './vapi-call.handler';
import { AssistantRequestResponse } from './vapi-responses';
import { VapiToolDefinition } from './vapi-tool.decorator';

/**
 * Turns the workflow's plan into the answer to `assistant-request`: the configured assistant with variables
 * (`VAPI_ASSISTANT_ID`), or a transient assistant (VAPI's CreateAssistantDTO) with the tools pointing at this
 * server, built like the saved one (`AssistantDefinitionBuilder`).
 */
@Injectable()
export class AssistantResponseBuilder {
  private readonly definitions: AssistantDefinitionBuilder;

  constructor(
    @Inject(vapiConfig.KEY) private readonly config: VapiConfig,
    @Inject(appConfig.KEY) app: AppConfig,
  ) {
    this.definitions = new AssistantDefinitionBuilder({
      publicUrl: app.publicUrl,
      credentialId: config.serverCredentialId,
      assistant: config.assistant,
    });
  }

  build(plan: AssistantPlan, tools: VapiToolDefinition[]): AssistantRequestResponse {
    if (this.config.assistantId) {
      return {
        assistantId: this.config.assistantId,
        assistantOverrides: { variableValues: { ...assistantVariables(plan.caller) } },
      };
    }
    const inline = tools.map((tool) => this.definitions.functionTool(tool, plan));
    return { assistant: this.definitions.assistant(plan, { inline }) };
  }
}
