import { createHmac } from 'node:crypto';
/**
 * How VAPI (or a community sender) signs a webhook, for each authentication mode. Used by the tests, the demo
 * and the bench to play the VAPI side, so it lives with the fakes (compiled into dist).
 */

export type SigningMode = 'hmac' | 'secret' | 'bearer' | 'signature';

export interface HmacOptions {
  algorithm?: 'sha256' | 'sha512' | 'sha1';
  encoding?: 'hex' | 'base64';
  prefix?: string;
  template?: string;
  timestamp?: string;
  signatureHeader?: string;
  timestampHeader?: string;
}

export function hmacHeaders(
  secret: string,
  body: string | Buffer,
  options: HmacOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? String(Date.now());
  const template = options.template ?? '{timestamp}.{body}';
  const [before, after] = template.replace('{timestamp}', timestamp).split('{body}');
  const payload = Buffer.concat([Buffer.from(before), Buffer.from(body), Buffer.from(after ?? '')]);
  const digest = createHmac(options.algorithm ?? 'sha256', secret)
    .update(payload)
    .digest(options.encoding ?? 'hex');
  return {
    [options.signatureHeader ?? 'x-signature']: `${options.prefix ?? ''}${digest}`,
    [options.timestampHeader ?? 'x-timestamp']: timestamp,
  };
}

export function signedHeaders(
  mode: SigningMode,
  secret: string,
  body: string | Buffer,
): Record<string, string> {
  switch (mode) {
    case 'hmac':
      return hmacHeaders(secret, body);
    case 'secret':
      return { 'x-vapi-secret': secret };
    case 'bearer':
      return { authorization: `Bearer ${secret}` };
    case 'signature':
      return { 'x-vapi-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
  }
}
