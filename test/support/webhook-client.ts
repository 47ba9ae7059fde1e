import { signedHeaders, SigningMode } from '../fakes/vapi-sender/vapi-signing';
import { TEST_WEBHOOK_SECRET } from './app-harness';

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

/** Posts a webhook body exactly as VAPI would: JSON bytes plus the signature headers of `mode`. */
export async function postWebhook(
  baseUrl: string,
  payload: unknown,
  options: {
    mode?: SigningMode;
    secret?: string;
    headers?: Record<string, string>;
    path?: string;
    raw?: Buffer;
  } = {},
): Promise<WebhookReply> {
  const body = options.raw ?? Buffer.from(JSON.stringify(payload));
  const headers = {
    'content-type': 'application/json',
    ...signedHeaders(options.mode ?? 'hmac', options.secret ?? TEST_WEBHOOK_SECRET, body),
    ...options.headers,
  };
  const response = await fetch(`${baseUrl}${options.path ?? '/vapi/webhook'}`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
