import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
} from '@nestjs/common';
// The webhooks module alone: the package index loads the whole REST client (~0.2 s) that we never use.
import { validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';
import { appConfig, type AppConfig } from '../config/app.config';
import { twilioConfig, type TwilioConfig } from './twilio.config';

/** The parts of a Fastify (or Express) request the check needs. */
interface TwilioCallbackRequest {
  /** Path and query as received, e.g. `/twilio/status?x=1`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** Present when the app is created with `rawBody: true`; needed only for JSON callbacks. */
  rawBody?: Buffer | string;
}

export type TwilioSignatureVerdict =
  'valid' | 'not-configured' | 'missing-signature' | 'missing-raw-body' | 'invalid-signature';

export interface TwilioSignatureInput {
  authToken: string | undefined;
  /** The externally visible base URL (PUBLIC_URL), without trailing slash. */
  publicUrl: string;
  /** Path and query as received. */
  requestUrl: string;
  signature: string | string[] | undefined;
  body: unknown;
  rawBody: Buffer | string | undefined;
}

/**
 * Checks `X-Twilio-Signature` against the URL Twilio was given: PUBLIC_URL plus the path and query, never the
 * Host header (behind an ingress it names the internal host). Form callbacks are signed over the sorted
 * parameters; JSON callbacks carry `bodySHA256` in the query and are checked against the raw body.
 */
export function verifyTwilioSignature(input: TwilioSignatureInput): TwilioSignatureVerdict {
  if (!input.authToken) return 'not-configured';
  if (typeof input.signature !== 'string' || input.signature === '') return 'missing-signature';
  const url = `${input.publicUrl}${input.requestUrl}`;
  let signsBodyHash: boolean;
  try {
    signsBodyHash = new URL(url).searchParams.has('bodySHA256');
  } catch {
    return 'invalid-signature';
  }
  if (signsBodyHash) {
    if (input.rawBody === undefined) return 'missing-raw-body';
    const raw = typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8');
    return validateRequestWithBody(input.authToken, input.signature, url, raw)
      ? 'valid'
      : 'invalid-signature';
  }
  const params = isFormParams(input.body) ? input.body : {};
  return validateRequest(input.authToken, input.signature, url, params) ? 'valid' : 'invalid-signature';
}

function isFormParams(body: unknown): body is Record<string, string | string[]> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && !Buffer.isBuffer(body);
}

/** Lets through only requests signed by Twilio with our auth token; everything else gets a bare 403. */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger(TwilioSignatureGuard.name);

  constructor(
    @Inject(twilioConfig.KEY) private readonly twilio: TwilioConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<TwilioCallbackRequest>();
    const verdict = verifyTwilioSignature({
      authToken: this.twilio.authToken,
      publicUrl: this.app.publicUrl,
      requestUrl: request.url,
      signature: request.headers['x-twilio-signature'],
      body: request.body,
      rawBody: request.rawBody,
    });
    if (verdict === 'valid') return true;
    // The reason goes to our log only; the caller learns nothing about why.
    this.logger.warn(`Rejected a Twilio callback: ${verdict}`);
    throw new ForbiddenException();
  }
}
