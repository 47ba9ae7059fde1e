/**
 * The naive handler the create-only burst is compared with: a bare `node:http` server that, for every signed
 * `tool-calls` createSalesforceCase webhook, checks the signature, gets a new OAuth token (client credentials)
 * and does one `POST /sobjects/Case` against the same Salesforce fake, then answers with the new record's id.
 * Nothing is stored, nothing is retried, no caller is looked up: the cheapest correct-looking thing, and the
 * speed our durable path must match.
 *
 * PORT, VAPI_WEBHOOK_SECRET, SALESFORCE_LOGIN_URL, SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET.
 */
import { createServer, ServerResponse } from 'node:http';
import { validVapiSignature } from './floor-signature';

const env = process.env;
const secret = env.VAPI_WEBHOOK_SECRET ?? '';
const loginUrl = env.SALESFORCE_LOGIN_URL ?? '';
const CASE_TYPES: Record<string, string> = { billing: 'Billing', technical: 'Technical', account: 'Account' };

interface ToolCallMessage {
  message?: {
    toolCallList?: { id?: string; function?: { arguments?: { issueType?: string; description?: string } } }[];
  };
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function createCase(
  message: NonNullable<ToolCallMessage['message']>,
): Promise<{ toolCallId: string; result: string }> {
  const toolCall = message.toolCallList?.[0];
  const args = toolCall?.function?.arguments ?? {};
  const token = await fetch(`${loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: env.SALESFORCE_CLIENT_ID ?? '',
      client_secret: env.SALESFORCE_CLIENT_SECRET ?? '',
    }).toString(),
  });
  if (!token.ok) throw new Error(`token ${token.status}`);
  const { access_token: accessToken, instance_url: instanceUrl } = (await token.json()) as {
    access_token: string;
    instance_url: string;
  };
  const created = await fetch(`${instanceUrl}/services/data/v62.0/sobjects/Case`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({
      Subject: 'Case from a phone call',
      Description: args.description ?? '',
      Type: CASE_TYPES[args.issueType ?? ''] ?? 'Other',
      Origin: 'Phone',
    }),
  });
  if (created.status !== 201) throw new Error(`create ${created.status}`);
  const { id } = (await created.json()) as { id: string };
  return { toolCallId: toolCall?.id ?? '', result: `I've opened case ${id} for you.` };
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!validVapiSignature(secret, request.headers, body))
      return answer(response, 401, { error: 'unauthorized' });
    const parsed = JSON.parse(body.toString('utf8')) as ToolCallMessage;
    if (!parsed.message?.toolCallList?.length) return answer(response, 200, {});
    createCase(parsed.message).then(
      (result) => answer(response, 200, { results: [result] }),
      (error: unknown) => answer(response, 502, { error: error instanceof Error ? error.message : 'failed' }),
    );
  });
});

server.listen({ port: Number(env.PORT ?? 0), host: '127.0.0.1', backlog: 4096 });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
