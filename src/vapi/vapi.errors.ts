import { BadRequestException } from '@nestjs/common';

/** Failures of the VAPI front door itself (not of an integration). */
export enum VapiErrorCode {
  UNKNOWN_TOOL = 'UNKNOWN_TOOL',
  INVALID_ARGUMENTS = 'INVALID_ARGUMENTS',
  INTERNAL = 'INTERNAL',
  /** A tool call beyond the per-message limit, answered without running. */
  TOO_MANY_TOOL_CALLS = 'TOO_MANY_TOOL_CALLS',
  /** A tool call still running at its deadline; the tool goes on, the caller is answered now. */
  TOOL_DEADLINE = 'TOOL_DEADLINE',
}

/** A body that is not `{ "message": { "type": "…" } }`: the only webhook input answered with a 4xx. */
export class MalformedEnvelopeException extends BadRequestException {
  constructor(reason: string) {
    super({ error: 'malformed_envelope', message: reason });
  }
}
