import { ConfigValidationError } from '../../src/config/config.util';
import { startApp } from '../support/app-harness';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import { newCall } from '../support/call-driver';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { endOfCallReportMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const JANE = '+14155550100';

describe('after the call: structured outputs on the Task, latency as metrics', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      TASK_FIELD_MAP:
        'disposition=Call_Disposition__c,sentiment=Sentiment__c,note=Call_Note__c,resolved=Resolved__c',
    });
  });
  afterAll(() => world.close());

  const taskOf = (callId: string) =>
    eventually(() => world.salesforce.records('Task').find((task) => task.CallObject === callId));

  it('should write the mapped structured fields onto the Task, masked, and nothing unmapped', async () => {
    const call = newCall(JANE);
    const report = endOfCallReportMessage(call, {
      transcript: 'User: my invoice is wrong\nAI: I opened a case.',
      structuredData: {
        disposition: 'case-opened',
        note: 'Card 4111 1111 1111 1111 was mentioned',
        mood: 'calm',
      },
      // Structured outputs (VAPI's current way) win over structuredData on a clash.
      structuredOutputs: {
        '7a1f0c2e-0000-4000-8000-000000000001': { name: 'sentiment', result: 'positive' },
        '7a1f0c2e-0000-4000-8000-000000000002': {
          name: 'outcome',
          result: { resolved: true, disposition: 'resolved' },
        },
      },
    });
    // The parts this feature reads, in the shapes of the OpenAPI document.
    const sent = report.message as Record<string, unknown>;
    expect(vapiSchemaErrors('Artifact', sent.artifact)).toEqual([]);
    expect(vapiSchemaErrors('Analysis', sent.analysis)).toEqual([]);

    await postWebhook(world.app.url, report);

    const task = await taskOf(call.id);
    expect(task).toMatchObject({
      Call_Disposition__c: 'resolved',
      Sentiment__c: 'positive',
      Resolved__c: true,
    });
    expect(String(task.Call_Note__c)).not.toContain('4111 1111 1111 1111');
    expect(String(task.Call_Note__c)).toBe('Card [card number] was mentioned');
    expect(JSON.stringify(task)).not.toContain('calm');
  });

  it('should log the Task as before when the report has no structured data', async () => {
    const call = newCall(JANE);

    await postWebhook(world.app.url, endOfCallReportMessage(call, { transcript: 'User: hello' }));

    const task = await taskOf(call.id);
    expect(task.Call_Disposition__c ?? null).toBeNull();
    expect(task.Sentiment__c ?? null).toBeNull();
  });

  it('should expose the per-turn latencies of the report as histograms on /metrics', async () => {
    const call = newCall(JANE);
    const turnLatencies = [
      {
        modelLatency: 420,
        voiceLatency: 180,
        transcriberLatency: 90,
        endpointingLatency: 300,
        turnLatency: 990,
      },
      {
        modelLatency: 610,
        voiceLatency: 200,
        transcriberLatency: 110,
        endpointingLatency: 280,
        turnLatency: 1200,
      },
    ];
    const before = await metricCount('model');

    await postWebhook(
      world.app.url,
      endOfCallReportMessage(call, {
        transcript: 'User: hi',
        performanceMetrics: { turnLatencies, turnLatencyAverage: 1095 },
      }),
    );

    expect(await metricCount('model')).toBe(before + 2);
    const text = await (await fetch(`${world.app.url}/metrics`)).text();
    for (const component of ['model', 'voice', 'transcriber', 'endpointing', 'turn']) {
      expect(text).toContain(`vapi_turn_latency_seconds_count{component="${component}"}`);
    }
    expect(text).toMatch(/vapi_turn_latency_seconds_bucket\{le="1",component="turn"\} \d+/);
  });

  async function metricCount(component: string): Promise<number> {
    const text = await (await fetch(`${world.app.url}/metrics`)).text();
    const match = new RegExp(`vapi_turn_latency_seconds_count\\{component="${component}"\\} (\\d+)`).exec(
      text,
    );
    return match ? Number(match[1]) : 0;
  }
});

describe('TASK_FIELD_MAP validation', () => {
  it.each([
    ['a field the call log writes itself', 'disposition=Description'],
    ['something that is not a field name', 'disposition=Call Disposition'],
    ['no field at all', 'disposition'],
  ])('should refuse to start with %s, naming the variable', async (_what, value) => {
    await expect(startApp({ TASK_FIELD_MAP: value })).rejects.toThrow(ConfigValidationError);
    await expect(startApp({ TASK_FIELD_MAP: value })).rejects.toThrow(/TASK_FIELD_MAP/);
  });
});
