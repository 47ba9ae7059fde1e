import { RouteKind } from '../fakes/salesforce/data-api';
import { CallWorld, eventually, startCallWorld } from '../support/call-harness';
import {
  assistantRequestMessage,
  endOfCallReportMessage,
  statusUpdateMessage,
  toolCallsMessage,
  transcriptMessage,
} from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

/**
 * Salesforce API calls per call, counted at the Salesforce fake (a `/composite` counts once, as in
 * Salesforce). The search index lags two minutes here, so every contact of the demo org is "just created"
 * for SOSL: a lookup that needed the index would not find them.
 */
describe('Salesforce API calls per call', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({}, { salesforce: { searchIndexLagMs: 120_000 } });
  });
  afterAll(() => world.close());

  /** Requests by route since `before`, without the start-up schema check's describes. */
  function requestsSince(before: Record<RouteKind, number>): Partial<Record<RouteKind, number>> {
    const delta: Partial<Record<RouteKind, number>> = {};
    for (const [route, count] of Object.entries(world.salesforce.stats.apiRequests) as [
      RouteKind,
      number,
    ][]) {
      const added = count - before[route];
      if (added > 0 && route !== 'describe') delta[route] = added;
    }
    return delta;
  }

  async function playCall(
    call: { id: string; customerNumber: string },
    options: { openCase: boolean },
  ): Promise<{ greeting: string; toolResult?: string }> {
    const url = world.app.url;
    const greeting = JSON.stringify((await postWebhook(url, assistantRequestMessage(call))).body);
    await postWebhook(url, statusUpdateMessage(call, 'in-progress'));
    await postWebhook(url, transcriptMessage(call, 'user', 'Hello, I have a question.'));
    let toolResult: string | undefined;
    if (options.openCase) {
      const reply = await postWebhook(
        url,
        toolCallsMessage(call, [
          {
            id: `tc-${call.id}`,
            name: 'createSalesforceCase',
            arguments: { issueType: 'billing', description: 'Charged twice this month' },
          },
        ]),
      );
      toolResult = (reply.body.results as { result: string }[])[0].result;
    }
    await postWebhook(url, statusUpdateMessage(call, 'ended', 'customer-ended-call'));
    await postWebhook(
      url,
      endOfCallReportMessage(call, { transcript: 'User: Hello, I have a question.\nAI: Happy to help.' }),
    );
    await eventually(() => world.salesforce.records('Task').find((task) => task.CallObject === call.id));
    return { greeting, toolResult };
  }

  it('should spend one API call on the caller and their cases and one on the case, plus the Task', async () => {
    const before = { ...world.salesforce.stats.apiRequests };

    const { greeting, toolResult } = await playCall(
      { id: 'call-economy-case', customerNumber: '+14155550100' },
      { openCase: true },
    );

    expect(greeting).toContain('Hi Jane');
    // Jane's open case came with her contact, in the same request.
    expect(greeting).toContain('you have an open case');
    expect(greeting).toContain('Invoice shows a double charge');
    expect(toolResult).toMatch(/^I've opened case [\d ]+ for your billing issue/);
    // One /composite for the caller and their open cases, one for the case and its CaseNumber, and the Task
    // in a /composite/sobjects shared with up to 199 other calls.
    expect(requestsSince(before)).toEqual({ composite: 2, 'composite-sobjects': 1 });
  });

  it('should spend one API call on a call without a case, plus the Task', async () => {
    const before = { ...world.salesforce.stats.apiRequests };

    const { greeting } = await playCall(
      { id: 'call-economy-nocase', customerNumber: '+14155550101' },
      { openCase: false },
    );

    expect(greeting).toContain('Hi John');
    expect(requestsSince(before)).toEqual({ composite: 1, 'composite-sobjects': 1 });
  });

  it('should answer an unknown number with one request and no fallback', async () => {
    const before = { ...world.salesforce.stats.apiRequests };

    const { greeting } = await playCall(
      { id: 'call-economy-unknown', customerNumber: '+14155559876' },
      { openCase: false },
    );

    expect(greeting).not.toContain('Hi ');
    expect(requestsSince(before)).toEqual({ composite: 1, 'composite-sobjects': 1 });
  });

  it('should greet a contact created a moment ago, before the search index has it, from one request', async () => {
    world.salesforce.insert('Contact', {
      FirstName: 'Nadia',
      LastName: 'Newcomer',
      MobilePhone: '(415) 555-0177',
    });
    const before = { ...world.salesforce.stats.apiRequests };

    const { greeting } = await playCall(
      { id: 'call-economy-new-contact', customerNumber: '+14155550177' },
      { openCase: false },
    );

    expect(greeting).toContain('Hi Nadia');
    expect(requestsSince(before)).toEqual({ composite: 1, 'composite-sobjects': 1 });
  });
});
