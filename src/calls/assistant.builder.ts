import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../config/app.config';
import { CaseRecord } from '../salesforce/salesforce.types';
import { vapiConfig, VapiConfig } from '../vapi/vapi.config';
import { AssistantRequestResponse, JsonObject } from '../vapi/vapi-message.types';
import { VapiToolDefinition } from '../vapi/vapi-tool.decorator';
import { callsConfig, CallsConfig } from './calls.config';
import { CallerIdentity, isIdentified } from './calls.types';
import { caseStatusSentence } from './speech';

/** Exactly the server messages this service handles (docs/vapi.md, "Messages and answers"); VAPI's defaults include chatty ones we ignore. */
export const HANDLED_SERVER_MESSAGES = [
  'tool-calls',
  'transfer-destination-request',
  'status-update',
  'end-of-call-report',
  'transcript[transcriptType="final"]',
  'hang',
] as const;

const SYSTEM_PROMPT = (company: string) =>
  [
    `You are the phone support agent of ${company}. Be brief, warm and clear: callers hear you, they cannot read.`,
    'Before you create a case, add a comment or change contact details, repeat what you are about to do and wait for the caller to confirm.',
    "Only ever discuss the caller's own cases. If a tool says it cannot find a case or cannot share details, say so; never guess or invent case data.",
    'Read case numbers digit by digit. Never read out email addresses or phone numbers in full.',
    'If the caller asks for a person, or you cannot help, use the transferCall tool.',
    'When a tool answers, speak its answer in your own words without adding facts.',
  ].join('\n');

/** Builds the answers to `assistant-request`: the configured assistant with variables, or a transient one. */
@Injectable()
export class AssistantBuilder {
  constructor(
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(vapiConfig.KEY) private readonly vapi: VapiConfig,
  ) {}

  build(
    identity: CallerIdentity,
    openCases: CaseRecord[],
    tools: VapiToolDefinition[],
  ): AssistantRequestResponse {
    const firstName = isIdentified(identity) ? identity.firstName : undefined;
    const openCaseText = openCases
      .map((record) => caseStatusSentence(record.caseNumber, record.status, record.subject))
      .join(' ');
    if (this.vapi.assistantId) {
      return {
        assistantId: this.vapi.assistantId,
        assistantOverrides: {
          variableValues: {
            firstName: firstName ?? '',
            identified: isIdentified(identity),
            openCaseCount: openCases.length,
            openCases: openCaseText,
          },
        },
      };
    }
    return { assistant: this.transientAssistant(firstName, openCases.length, openCaseText, tools) };
  }

  private transientAssistant(
    firstName: string | undefined,
    openCount: number,
    openCaseText: string,
    tools: VapiToolDefinition[],
  ): JsonObject {
    const { assistant, companyName } = this.config;
    const server: JsonObject = {
      url: `${this.app.publicUrl}/vapi/webhook`,
      timeoutSeconds: 20,
      ...(assistant.serverCredentialId ? { credentialId: assistant.serverCredentialId } : {}),
    };
    const context = firstName
      ? `The caller is ${firstName}, recognised from their phone number. ${openCount > 0 ? `Their open cases: ${openCaseText}` : 'They have no open cases.'}`
      : 'The caller was not recognised from their phone number: ask for their account number before opening a case, and do not discuss existing cases.';
    const greeting = firstName
      ? `Hi ${firstName}, thanks for calling ${companyName}.${openCount > 0 ? ` I can see you have ${openCount === 1 ? 'an open case' : `${openCount} open cases`}.` : ''} How can I help?`
      : `Thanks for calling ${companyName}. How can I help you today?`;
    return {
      name: 'voice-crm support agent',
      firstMessage: greeting,
      firstMessageMode: 'assistant-speaks-first',
      model: {
        provider: assistant.modelProvider,
        model: assistant.model,
        temperature: 0.2,
        messages: [{ role: 'system', content: `${SYSTEM_PROMPT(companyName)}\n\n${context}` }],
        tools: [
          ...tools.map((tool) => ({
            type: 'function',
            function: { name: tool.name, description: tool.description, parameters: tool.parameters },
            server,
            messages: [{ type: 'request-start', content: 'One moment while I check that.', blocking: false }],
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
      serverMessages: [...HANDLED_SERVER_MESSAGES],
      server,
      endCallMessage: `Thank you for calling ${companyName}. Goodbye.`,
      maxDurationSeconds: 1800,
    };
  }
}
