import { Inject, Injectable } from '@nestjs/common';
import { IntegrationError } from '../../common/integration.error';
import { SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { CallerVoice } from '../../vapi/caller-voice';
import { VapiErrorCode } from '../../vapi/vapi.errors';
import { callsConfig, CallsConfig } from '../calls.config';
import { AssistantLanguage, LOCALES } from './locales';
import { AssistantSpeech } from '../../vapi/vapi-call.handler';
import { CallerSentences } from './sentences';

function has<T extends string>(table: Record<T, string>, key: string): key is T {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/**
 * The one place that owns what the caller hears, in the language of ASSISTANT_LANGUAGE. Tools and the workflow
 * speak through `say`; the VAPI front door reaches it through the `CallerVoice` port.
 */
@Injectable()
export class CallVoice extends CallerVoice {
  readonly say: CallerSentences;
  /** The voice and transcriber of the language. */
  readonly speech: AssistantSpeech;
  /** ASSISTANT_LANGUAGE (ISO 639-1), for texts others word for us (Twilio Verify's code message). */
  readonly language: AssistantLanguage;

  constructor(@Inject(callsConfig.KEY) { language }: Pick<CallsConfig, 'language'> = { language: 'en' }) {
    super();
    this.language = language;
    ({ sentences: this.say, speech: this.speech } = LOCALES[language]);
  }

  failure(error: unknown): string {
    const { failures } = this.say;
    if (error instanceof IntegrationError) {
      const code = String(error.code);
      if (error.source === 'salesforce' && has(failures.salesforce, code)) return failures.salesforce[code];
      if (error.source === 'twilio' && has(failures.twilio, code)) return failures.twilio[code];
      if (error.source === 'twilio-verify' && has(failures.verification, code)) {
        return failures.verification[code];
      }
    }
    return failures.frontDoor[VapiErrorCode.INTERNAL];
  }

  /**
   * What a caller hears when the outbox refused their write: the tool's own sentence (`refused`), except for
   * refusals that need saying as they are (a duplicate rule).
   */
  refusal(code: string | undefined, refused: string): string {
    return code === SalesforceErrorCode.DUPLICATES_DETECTED
      ? this.say.failures.salesforce[SalesforceErrorCode.DUPLICATES_DETECTED]
      : refused;
  }

  frontDoor(code: VapiErrorCode): string {
    return this.say.failures.frontDoor[code];
  }

  question(tool: string, argument: string): string {
    const { questions } = this.say;
    return (
      questions.byTool[tool]?.[argument] ?? questions.byArgument[argument] ?? questions.generic(argument)
    );
  }
}
