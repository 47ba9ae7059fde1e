import { StartupChecksService } from '../src/health/startup-checks.service';
import { startApp } from './support/app-harness';
import { startCallWorld, TWILIO_TOKEN, VERIFY_SERVICE_SID } from './support/call-harness';

interface CheckLine {
  event?: string;
  vendor?: string;
  check?: string;
  status?: string;
  fix?: string;
}

const checkLines = (lines: string[]): CheckLine[] =>
  lines.map((line) => JSON.parse(line) as CheckLine).filter((line) => line.event === 'setup_check');

describe('set-up checks at start-up (e2e)', () => {
  it('should log a refused Salesforce secret with its fix once, check the Verify service, name no secret, and still serve', async () => {
    const world = await startCallWorld({
      STARTUP_CHECKS: 'true',
      SALESFORCE_CLIENT_SECRET: 'a-wrong-secret-0123',
      TWILIO_VERIFY_SERVICE_SID: VERIFY_SERVICE_SID,
    });
    try {
      await world.app.app.get(StartupChecksService).done;
      const live = await fetch(`${world.app.url}/health/live`);

      const lines = checkLines(world.app.logs.lines);
      expect(live.status).toBe(200);
      expect(lines.map(({ vendor, status }) => `${vendor} ${status}`)).toEqual(
        expect.arrayContaining(['salesforce fail', 'twilio pass']),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          vendor: 'twilio',
          check: 'Verify service TWILIO_VERIFY_SERVICE_SID',
          status: 'pass',
        }),
      );
      expect(lines.find((line) => line.vendor === 'salesforce' && line.status === 'fail')?.fix).toContain(
        'SALESFORCE_CLIENT_SECRET',
      );
      for (const secret of ['a-wrong-secret-0123', TWILIO_TOKEN])
        expect(world.app.logs.text).not.toContain(secret);
    } finally {
      await world.close();
    }
  });

  it('should start when the vendors cannot be reached, and say so', async () => {
    const running = await startApp({
      STARTUP_CHECKS: 'true',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'twilio-token-unreachable-0123',
      TWILIO_FROM_NUMBER: '+14155550000',
      TWILIO_API_URL: 'http://127.0.0.1:9',
    });
    try {
      await running.app.get(StartupChecksService).done;
      const live = await fetch(`${running.url}/health/live`);

      expect(live.status).toBe(200);
      expect(
        checkLines(running.logs.lines).map(({ vendor, check, status }) => `${vendor} ${check} ${status}`),
      ).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^salesforce token .* fail$/),
          'twilio Twilio reachable fail',
        ]),
      );
    } finally {
      await running.close();
    }
  });
});
