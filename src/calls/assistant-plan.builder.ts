import { Inject, Injectable, Optional } from '@nestjs/common';
import { CaseRecord } from '../salesforce/salesforce.types';
import { assistantVariable, whenVariable } from '../vapi/assistant-definition.builder';
import { AssistantPlan, AssistantScript } from '../vapi/vapi-call.handler';
import { callsConfig, CallsConfig } from './calls.config';
import { CallerIdentity, isIdentified } from './calls.types';
import { KnowledgeService } from './knowledge/knowledge.service';
import { VerificationPolicy } from './verification.policy';
import { CallVoice } from './voice/call-voice';

/**
 * What the assistant of one call knows and says, from who the caller is and their open cases; and what an
 * assistant saved in VAPI says, making the same choices on the variables each call gives it.
 */
@Injectable()
export class AssistantPlanBuilder {
  constructor(
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
    private readonly voice: CallVoice,
    private readonly verification: VerificationPolicy,
    /** Absent outside the service (provision builds the saved script without Salesforce). */
    @Optional() private readonly knowledge?: KnowledgeService,
  ) {}

  build(identity: CallerIdentity, foundCases: CaseRecord[]): AssistantPlan {
    const { say } = this.voice;
    const company = this.config.companyName;
    const firstName = isIdentified(identity) ? identity.firstName : undefined;
    // When reading cases needs a verified caller, the model must not know them before: it could read them out.
    const casesNeedVerification = this.verification.guards('lookupCase');
    const openCases = casesNeedVerification ? [] : foundCases;
    const openCasesText = openCases.map((record) => say.cases.status(record)).join(' ');
    const context = firstName
      ? casesNeedVerification
        ? say.assistant.knownCallerCasesAfterVerification(firstName)
        : openCases.length > 0
          ? say.assistant.knownCaller(firstName, openCasesText)
          : say.assistant.knownCallerWithoutCases(firstName)
      : say.assistant.unknownCaller;
    return {
      caller: {
        firstName,
        identified: isIdentified(identity),
        openCaseCount: openCases.length,
        openCasesText,
      },
      firstMessage: firstName
        ? say.assistant.greetKnown(firstName, company, openCases.length)
        : say.assistant.greetUnknown(company),
      systemPrompt: this.systemPrompt(this.knowledge?.available === true, context),
      endCallMessage: say.assistant.goodbye(company),
      toolSpeech: say.whileTools,
      speech: this.voice.speech,
    };
  }

  /**
   * The saved assistant's words (`npm run provision -- --assistant`): the choices of `build`, written as
   * LiquidJS conditions on `assistantVariables`, which VAPI renders for each call. A caller without a first
   * name is greeted as unknown, as in `build`. `knowledge`: the saved assistant gets searchKnowledge (Salesforce
   * Knowledge is configured where the service runs).
   */
  savedScript(options: { knowledge?: boolean } = {}): AssistantScript {
    const { say } = this.voice;
    const company = this.config.companyName;
    const firstName = assistantVariable('firstName');
    const context = whenVariable(
      'firstName == blank',
      say.assistant.unknownCaller,
      whenVariable(
        'openCaseCount > 0',
        say.assistant.knownCaller(firstName, assistantVariable('openCases')),
        say.assistant.knownCallerWithoutCases(firstName),
      ),
    );
    return {
      firstMessage: whenVariable(
        'firstName == blank',
        say.assistant.greetUnknown(company),
        say.assistant.greetKnown(firstName, company, 0),
      ),
      systemPrompt: this.systemPrompt(options.knowledge === true, context),
      endCallMessage: say.assistant.goodbye(company),
      toolSpeech: say.whileTools,
      speech: this.voice.speech,
    };
  }

  /** The prompt: who the agent is, the verification and Knowledge lines when they apply, then this caller. */
  private systemPrompt(knowledge: boolean, context: string): string {
    const { say } = this.voice;
    return [
      say.assistant.systemPrompt(this.config.companyName),
      ...(this.verification.available ? [say.assistant.verificationPrompt] : []),
      ...(knowledge ? [say.knowledge.prompt] : []),
      '',
      context,
    ].join('\n');
  }
}
