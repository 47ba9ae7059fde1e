import type { FaultSettings } from '../fakes/salesforce/salesforce-fake';
import { CallWorld, startCallWorld } from '../support/call-harness';
import { runCalls, settleAndCount } from './call-load';
import { printReport, report } from './fault-report';

jest.setTimeout(180_000);

const CALLS = 12;

/**
 * Salesforce failing in every way the fake can, while calls go on: each scenario runs CALLS calls (greeting,
 * a case, the end-of-call report) under the fault, clears it, and counts what was acknowledged and lost.
 */
describe('calls while Salesforce fails', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      TOOL_WRITE_BUDGET_MS: '300',
      CALLER_LOOKUP_BUDGET_MS: '300',
      SALESFORCE_REQUEST_TIMEOUT_MS: '1000',
      DELIVERY_PROBE_INTERVAL_MS: '250',
      SALESFORCE_LIMIT_BACKOFF_MS: '60000',
    });
  });
  afterEach(() => world.salesforce.faults.clear());
  afterAll(async () => {
    printReport('Salesforce faults (npm run test:faults)');
    await world.close();
  });

  const scenarios: Array<[string, (world: CallWorld) => void]> = [
    ['Salesforce outage (503)', (w) => w.salesforce.faults.set({ outage: true })],
    ['Salesforce hangs', (w) => w.salesforce.faults.set({ hang: true } satisfies FaultSettings)],
    ['lost responses (writes commit, answers lost)', (w) => w.salesforce.faults.set({ loseResponses: 40 })],
    ['REQUEST_LIMIT_EXCEEDED', (w) => w.salesforce.faults.set({ limitExceeded: true })],
    ['token revoked', (w) => w.salesforce.faults.revokeCredentials()],
  ];

  it.each(scenarios)(
    '%s: loses and duplicates nothing acknowledged, and recovers',
    async (scenario, fault) => {
      fault(world);
      const runs = await runCalls(world, CALLS);
      world.salesforce.faults.clear();
      const figures = await settleAndCount(world, scenario, runs, Date.now());
      report(figures);

      expect(figures.callsCarried).toBe(`${CALLS}/${CALLS}`);
      expect(figures.lost).toBe(0);
      expect(figures.duplicated).toBe(0);
    },
  );
});
