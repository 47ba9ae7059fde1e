import { RunningApp, startApp, TEST_WEBHOOK_SECRET } from './support/app-harness';
import { hmacHeaders } from './fakes/vapi-sender/vapi-signing';
import { statusUpdateMessage } from './support/vapi-payloads';

interface LogLine {
  event?: string;
  reason?: string;
  heldBack?: number;
  msg?: string;
}

describe('refused webhook signatures in the log (e2e)', () => {
  let running: RunningApp;
  const body = JSON.stringify(
    statusUpdateMessage({ id: 'call-log-1', customerNumber: '+14155550100' }, 'ringing'),
  );

  beforeAll(async () => {
    running = await startApp();
  });
  afterAll(() => running.close());

  const send = (headers: Record<string, string>) =>
    fetch(`${running.url}/vapi/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }).then((response) => response.status);
  const rejections = (): LogLine[] =>
    running.logs.lines
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.event === 'webhook_rejected');

  it('should log each reason once, without the header values, while answering 401 to every request', async () => {
    const stale = hmacHeaders(TEST_WEBHOOK_SECRET, body, { timestamp: String(Date.now() - 3_600_000) });
    const wrongSecret = hmacHeaders('another-secret-0123456789', body);

    const statuses = [
      await send(stale),
      await send(stale),
      await send(stale),
      await send({}),
      await send(wrongSecret),
    ];

    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(rejections().map((line) => [line.reason, line.heldBack])).toEqual([
      ['hmac: stale-timestamp', 0],
      ['hmac: no-header', 0],
      ['hmac: mismatch', 0],
    ]);
    for (const value of [stale['x-signature'], stale['x-timestamp'], wrongSecret['x-signature']]) {
      expect(running.logs.text).not.toContain(value);
    }
  });
});
