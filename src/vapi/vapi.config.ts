import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, IsUrl, Matches, ValidateIf } from 'class-validator';
import { commaList, EnvFlag, EnvInt, EnvSecret, loadEnvironment } from '../config/config.util';
import { TOOL_TIMEOUT_SECONDS } from './assistant-definition.builder';

/** The deadline leaves VAPI's tool timeout at least this much time for the answer to travel back. */
const TOOL_DEADLINE_MARGIN_MS = 1_000;
export const MAX_TOOL_DEADLINE_MS = TOOL_TIMEOUT_SECONDS * 1000 - TOOL_DEADLINE_MARGIN_MS;

export const VAPI_AUTH_MODES = ['hmac', 'secret', 'bearer', 'signature'] as const;
export type VapiAuthMode = (typeof VAPI_AUTH_MODES)[number];

export class VapiEnvironment {
  /** Comma list of accepted authentication modes; a request passing any one of them is accepted. */
  @Matches(/^\s*(hmac|secret|bearer|signature)\s*(,\s*(hmac|secret|bearer|signature)\s*)*$/, {
    message: 'VAPI_AUTH_MODE must be a comma list of hmac, secret, bearer, signature',
  })
  VAPI_AUTH_MODE: string = 'hmac';

  /** Comma list of accepted secrets (several during a rotation). */
  @IsString()
  @Matches(/[^,\s]{16,}/, {
    message: 'VAPI_WEBHOOK_SECRET must hold at least one secret of 16 or more characters',
  })
  VAPI_WEBHOOK_SECRET!: string;

  @IsIn(['sha256', 'sha512', 'sha1'])
  VAPI_HMAC_ALGORITHM: string = 'sha256';

  @IsString()
  VAPI_HMAC_SIGNATURE_HEADER: string = 'x-signature';

  @IsString()
  VAPI_HMAC_TIMESTAMP_HEADER: string = 'x-timestamp';

  /** Payload template; `{timestamp}` and `{body}` are replaced. */
  @Matches(/\{body\}/, { message: 'VAPI_HMAC_PAYLOAD_TEMPLATE must contain {body}' })
  VAPI_HMAC_PAYLOAD_TEMPLATE: string = '{timestamp}.{body}';

  @IsIn(['hex', 'base64'])
  VAPI_HMAC_ENCODING: string = 'hex';

  @IsOptional()
  @IsString()
  VAPI_HMAC_SIGNATURE_PREFIX?: string;

  @EnvInt({ min: 1, max: 86_400 })
  VAPI_HMAC_TOLERANCE_SECONDS: number = 300;

  @IsString()
  VAPI_BEARER_HEADER: string = 'authorization';

  @IsString()
  VAPI_SECRET_HEADER: string = 'x-vapi-secret';

  @IsString()
  VAPI_SIGNATURE_HEADER: string = 'x-vapi-signature';

  @IsOptional()
  @EnvSecret()
  VAPI_API_KEY?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  VAPI_API_URL: string = 'https://api.vapi.ai';

  @IsOptional()
  @IsString()
  VAPI_ASSISTANT_ID?: string;

  /** Body limit for webhook requests; end-of-call reports carry the whole conversation. */
  @EnvInt({ min: 1_048_576 })
  VAPI_BODY_LIMIT_BYTES: number = 10 * 1024 * 1024;

  /**
   * Tool calls of one `tool-calls` message that are run; each one beyond is answered with an error sentence
   * without running. A real turn asks for one or two tools; a message with thousands is hostile or broken.
   */
  @EnvInt({ min: 1, max: 1000 })
  VAPI_MAX_TOOL_CALLS_PER_MESSAGE: number = 16;

  /** How many tool calls of one message run at the same time. */
  @EnvInt({ min: 1, max: 64 })
  VAPI_TOOL_CONCURRENCY: number = 4;

  /**
   * Time from a message's arrival after which a tool call still running is answered with a spoken fallback
   * (the tool goes on; a write it accepted is finished by the outbox). Below VAPI's tool timeout, which our
   * transient assistant sets to 20 s (`server.timeoutSeconds`), so the caller hears our sentence, not VAPI's.
   */
  @EnvInt({ min: 100, max: MAX_TOOL_DEADLINE_MS })
  TOOL_DEADLINE_MS: number = 15_000;

  /**
   * The VAPI credential (HMAC or bearer) that signs VAPI's requests to us, put on the transient assistant's
   * server and tools; `npm run provision` creates it and prints its id. Required at start-up in some modes:
   * see `vapiStartupProblems`.
   */
  @IsOptional()
  @IsString()
  VAPI_SERVER_CREDENTIAL_ID?: string;

  // The transient assistant (used when VAPI_ASSISTANT_ID is unset). See VAPI's CreateAssistantDTO.
  @IsString()
  ASSISTANT_MODEL_PROVIDER: string = 'openai';

  @IsString()
  ASSISTANT_MODEL: string = 'gpt-4o-mini';

  // Voice and transcriber: by default those of ASSISTANT_LANGUAGE (src/calls/voice/locales); set to override.
  @IsOptional()
  @IsString()
  ASSISTANT_VOICE_PROVIDER?: string;

  /** Required with ASSISTANT_VOICE_PROVIDER: another provider's voice ids are not the language's voice's. */
  @ValidateIf(
    (env: VapiEnvironment) =>
      env.ASSISTANT_VOICE_PROVIDER !== undefined || env.ASSISTANT_VOICE_ID !== undefined,
  )
  @IsString({ message: 'ASSISTANT_VOICE_ID must be set with ASSISTANT_VOICE_PROVIDER' })
  ASSISTANT_VOICE_ID?: string;

  @IsOptional()
  @IsString()
  ASSISTANT_TRANSCRIBER_PROVIDER?: string;

  @IsOptional()
  @IsString()
  ASSISTANT_TRANSCRIBER_MODEL?: string;

  /** Live Call Control: a call's control URL is used only on these hosts (or their subdomains), over https. */
  @Matches(/^\s*[a-z0-9.-]+\s*(,\s*[a-z0-9.-]+\s*)*$/i, {
    message: 'VAPI_CONTROL_HOSTS must be a comma list of host names such as vapi.ai',
  })
  VAPI_CONTROL_HOSTS: string = 'vapi.ai';

  /** Tests and the demo only: also accept http control URLs on 127.0.0.1 / localhost. */
  @EnvFlag()
  VAPI_CONTROL_ALLOW_LOOPBACK_HTTP: boolean = false;

  /** Whole-request timeout of a Live Call Control request (best effort: nothing waits for it). */
  @EnvInt({ min: 100, max: 10_000 })
  VAPI_CONTROL_TIMEOUT_MS: number = 2000;
}

/**
 * What the service refuses to start with although each variable is valid on its own. Not a rule of the schema,
 * because `npm run provision` must run without it: provisioning is what makes the credential.
 *
 * A transient assistant carries its own `server`, which overrides the phone number's for the rest of the call:
 * without a credential on it VAPI sends those messages unsigned, and in a credential-based mode (hmac, bearer)
 * every one of them would be refused with 401.
 */
export const TRANSIENT_CREDENTIAL_RULE = 'requiredForTransientAssistant';

export function vapiStartupProblems(env: VapiEnvironment): string[] {
  const modes = commaList(env.VAPI_AUTH_MODE);
  const credentialMode = modes.includes('hmac') || modes.includes('bearer');
  if (env.VAPI_ASSISTANT_ID || !credentialMode || env.VAPI_SERVER_CREDENTIAL_ID) return [];
  return [
    `VAPI_SERVER_CREDENTIAL_ID: is required when the transient assistant (no VAPI_ASSISTANT_ID) is used with VAPI_AUTH_MODE hmac or bearer: the assistant's server overrides the phone number's, so without the credential VAPI sends the rest of the call unsigned and every message is refused with 401; npm run provision creates the credential and prints its id (${TRANSIENT_CREDENTIAL_RULE})`,
  ];
}

export const vapiConfig = registerAs('vapi', () => {
  const env = loadEnvironment(VapiEnvironment, process.env);
  return {
    authModes: [...new Set(commaList(env.VAPI_AUTH_MODE))] as VapiAuthMode[],
    secrets: commaList(env.VAPI_WEBHOOK_SECRET),
    hmac: {
      algorithm: env.VAPI_HMAC_ALGORITHM as 'sha256' | 'sha512' | 'sha1',
      signatureHeader: env.VAPI_HMAC_SIGNATURE_HEADER.toLowerCase(),
      timestampHeader: env.VAPI_HMAC_TIMESTAMP_HEADER.toLowerCase(),
      payloadTemplate: env.VAPI_HMAC_PAYLOAD_TEMPLATE,
      encoding: env.VAPI_HMAC_ENCODING as 'hex' | 'base64',
      signaturePrefix: env.VAPI_HMAC_SIGNATURE_PREFIX ?? '',
      toleranceSeconds: env.VAPI_HMAC_TOLERANCE_SECONDS,
    },
    bearerHeader: env.VAPI_BEARER_HEADER.toLowerCase(),
    secretHeader: env.VAPI_SECRET_HEADER.toLowerCase(),
    signatureHeader: env.VAPI_SIGNATURE_HEADER.toLowerCase(),
    apiKey: env.VAPI_API_KEY,
    apiUrl: env.VAPI_API_URL.replace(/\/+$/, ''),
    assistantId: env.VAPI_ASSISTANT_ID,
    bodyLimitBytes: env.VAPI_BODY_LIMIT_BYTES,
    serverCredentialId: env.VAPI_SERVER_CREDENTIAL_ID,
    toolBounds: {
      maxCallsPerMessage: env.VAPI_MAX_TOOL_CALLS_PER_MESSAGE,
      concurrency: env.VAPI_TOOL_CONCURRENCY,
      deadlineMs: env.TOOL_DEADLINE_MS,
    },
    assistant: {
      modelProvider: env.ASSISTANT_MODEL_PROVIDER,
      model: env.ASSISTANT_MODEL,
      voiceProvider: env.ASSISTANT_VOICE_PROVIDER,
      voiceId: env.ASSISTANT_VOICE_ID,
      transcriberProvider: env.ASSISTANT_TRANSCRIBER_PROVIDER,
      transcriberModel: env.ASSISTANT_TRANSCRIBER_MODEL,
    },
    control: {
      hosts: commaList(env.VAPI_CONTROL_HOSTS).map((host) => host.toLowerCase()),
      allowLoopbackHttp: env.VAPI_CONTROL_ALLOW_LOOPBACK_HTTP,
      timeoutMs: env.VAPI_CONTROL_TIMEOUT_MS,
    },
  };
});
export type VapiConfig = ReturnType<typeof vapiConfig>;
