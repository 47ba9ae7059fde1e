import { VapiErrorCode } from './vapi.errors';

/**
 * The port through which the VAPI front door gets every sentence it speaks on its own account: a failed
 * handler, an unknown tool, a question for a missing argument. The call workflow owns what the caller hears
 * (its sentence tables) and implements it.
 */
export abstract class CallerVoice {
  /** What the caller hears when a handler fails with `error`; never the error's own message. */
  abstract failure(error: unknown): string;
  /** What the caller hears for a failure of the front door itself. */
  abstract frontDoor(code: VapiErrorCode): string;
  /** The question the agent asks when `argument` of `tool` is missing or invalid. */
  abstract question(tool: string, argument: string): string;
}
