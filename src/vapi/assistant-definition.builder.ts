import { SERVER_BACKOFF_PLAN } from './server-backoff-plan';
import type { AssistantPlan, AssistantScript } from './vapi-call.handler';
import { SUBSCRIBED_MESSAGE_TYPES } from './vapi-message-types';
import type { VapiConfig } from './vapi.config';
import { toolParameters, VapiToolDefinition } from './vapi-tool.decorator';

/** Seconds VAPI waits for a tool answer (its default; `server.timeoutSeconds`). */
export const TOOL_TIMEOUT_SECONDS = 20;

/**
 * When VAPI says a tool's "still working" words if our answer has not come (OAS `ToolMessageDelayed`): after
 * most answers (an inline write waits at most TOOL_WRITE_BUDGET_MS, 5 s by default), well before the timeout.
 */
export const TOOL_DELAYED_AFTER_MS = 3000;

/** The name of the assistant, transient or saved by `npm run provision -- --assistant` (VAPI allows 40). */
export const ASSISTANT_NAME = 'voice-crm support agent';

/** Where VAPI sends every message of the call (OAS `Server`). */
export interface VapiServer {
  url: string;
  timeoutSeconds: number;
  credentialId?: string;
  backoffPlan: typeof SERVER_BACKOFF_PLAN;
}

/** One of our tools as VAPI takes it (OAS `CreateFunctionToolDTO`), inline or saved with `POST /tool`. */
export interface VapiFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
  server: VapiServer;
  messages: VapiToolMessage[];
}

/** OAS `ToolMessageStart`, `ToolMessageDelayed`, `ToolMessageFailed`. */
export type VapiToolMessage =
  | { type: 'request-start'; content: string; blocking: boolean }
  | { type: 'request-response-delayed'; content: string; timingMilliseconds: number }
  | { type: 'request-failed'; content: string };

/** The variables an assistant saved in VAPI receives with each call (`assistantOverrides.variableValues`). */
export interface AssistantVariables {
  firstName: string;
  identified: boolean;
  openCaseCount: number;
  openCases: string;
}

/** A variable as a saved assistant's text refers to it (VAPI renders prompts and messages with LiquidJS). */
export function assistantVariable(name: keyof AssistantVariables): string {
  return `{{${name}}}`;
}

/** A LiquidJS choice on a variable (`firstName == blank`, `openCaseCount > 0`), for a saved assistant's text. */
export function whenVariable(
  condition: `${keyof AssistantVariables} ${string}`,
  then: string,
  otherwise: string,
): string {
  return `{% if ${condition} %}${then}{% else %}${otherwise}{% endif %}`;
}

export function assistantVariables(caller: AssistantPlan['caller']): AssistantVariables {
  return {
    firstName: caller.firstName ?? '',
    identified: caller.identified,
    openCaseCount: caller.openCaseCount,
    openCases: caller.openCasesText,
  };
}

export interface AssistantDefinitionSettings {
  /** PUBLIC_URL without trailing slash. */
  publicUrl: string;
  /** The VAPI credential that signs messages to us (VAPI_SERVER_CREDENTIAL_ID). */
  credentialId?: string;
  assistant: VapiConfig['assistant'];
}

/** How the assistant reaches the tools: inline (transient) or by id (saved, the tools made by provision). */
export type AssistantTools = { inline: VapiFunctionTool[] } | { toolIds: string[] };

/**
 * The one definition of what VAPI gets from us: the webhook server, our function tools and the assistant
 * (OAS `CreateAssistantDTO`). The transient assistant answered to `assistant-request` and the assistant saved by
 * `npm run provision -- --assistant` are both built here, so they cannot drift apart.
 */
export class AssistantDefinitionBuilder {
  constructor(private readonly settings: AssistantDefinitionSettings) {}

  /**
   * The assistant's, each tool's and the phone number's server. The credential matters on all of them: an
   * assistant's server overrides the phone number's, so an assistant without it gets unsigned messages.
   */
  server(): VapiServer {
    const { publicUrl, credentialId } = this.settings;
    return {
      url: `${publicUrl}/vapi/webhook`,
      timeoutSeconds: TOOL_TIMEOUT_SECONDS,
      ...(credentialId ? { credentialId } : {}),
      backoffPlan: SERVER_BACKOFF_PLAN,
    };
  }

  functionTool(definition: VapiToolDefinition, script: AssistantScript): VapiFunctionTool {
    return {
      type: 'function',
      function: {
        name: definition.name,
        description: definition.description,
        parameters: toolParameters(definition),
      },
      server: this.server(),
      messages: this.toolMessages(definition.name, script),
    };
  }

  assistant(script: AssistantScript, tools: AssistantTools): Record<string, unknown> {
    const { assistant } = this.settings;
    // No destinations: VAPI asks us with transfer-destination-request, so the hand-off is recorded.
    const builtIn = [{ type: 'transferCall' }, { type: 'endCall' }];
    return {
      name: ASSISTANT_NAME,
      firstMessage: script.firstMessage,
      firstMessageMode: 'assistant-speaks-first',
      model: {
        provider: assistant.modelProvider,
        model: assistant.model,
        temperature: 0.2,
        messages: [{ role: 'system', content: script.systemPrompt }],
        ...('inline' in tools
          ? { tools: [...tools.inline, ...builtIn] }
          : { toolIds: tools.toolIds, tools: builtIn }),
      },
      voice: {
        provider: assistant.voiceProvider ?? script.speech.voice.provider,
        voiceId: assistant.voiceId ?? script.speech.voice.voiceId,
      },
      transcriber: {
        provider: assistant.transcriberProvider ?? script.speech.transcriber.provider,
        model: assistant.transcriberModel ?? script.speech.transcriber.model,
        language: script.speech.transcriber.language,
      },
      serverMessages: SUBSCRIBED_MESSAGE_TYPES,
      server: this.server(),
      endCallMessage: script.endCallMessage,
      maxDurationSeconds: 1800,
    };
  }

  /** What VAPI says while a tool runs (OAS `ToolMessage*`), in the tool's own words from the script. */
  private toolMessages(tool: string, script: AssistantScript): VapiToolMessage[] {
    const words = script.toolSpeech.byTool[tool] ?? script.toolSpeech.other;
    return [
      { type: 'request-start', content: words.start, blocking: false },
      { type: 'request-response-delayed', content: words.delayed, timingMilliseconds: TOOL_DELAYED_AFTER_MS },
      { type: 'request-failed', content: words.failed },
    ];
  }
}
