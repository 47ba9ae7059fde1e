import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { transportFailure } from '../../common/transport-failure';

/**
 * VAPI Live Call Control (`call.monitor.controlUrl`, enabled by `assistant.monitorPlan.controlEnabled`, on by
 * default): POSTs of `ClientInboundMessage*` shapes into a running call. Best effort: a result says whether it
 * was delivered, nothing throws, and nothing waits for it on the call's path.
 */
export abstract class VapiLiveCallControl {
  /**
   * Adds a system message to the call's conversation (`add-message`). `triggerResponse: false` inserts it
   * silently: the model uses it on its next turn instead of interrupting the caller.
   */
  abstract addSystemMessage(
    controlUrl: string,
    content: string,
    triggerResponse: boolean,
  ): Promise<'sent' | 'refused' | 'failed'>;
}

export interface LiveCallControlOptions {
  /** Hosts the control URL may be on (or subdomains of them). */
  hosts: string[];
  /** Accept `http://127.0.0.1` / `http://localhost` too (tests and the demo). */
  allowLoopbackHttp: boolean;
  timeoutMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when `url` is a control URL we may post to: https on an allowed host, or loopback http when allowed. */
export function isAllowedControlUrl(url: string, options: LiveCallControlOptions): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase();
  if (parsed.protocol === 'http:') return options.allowLoopbackHttp && LOOPBACK.has(host);
  if (parsed.protocol !== 'https:') return false;
  if (options.allowLoopbackHttp && LOOPBACK.has(host)) return true;
  return options.hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}

/** Live Call Control over HTTP: the URL is the one the call object gave, checked, never rebuilt. */
export class VapiHttpLiveCallControl extends VapiLiveCallControl implements OnModuleDestroy {
  private readonly logger = new Logger('VapiLiveCallControl');
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });

  constructor(private readonly options: LiveCallControlOptions) {
    super();
  }

  async addSystemMessage(
    controlUrl: string,
    content: string,
    triggerResponse: boolean,
  ): Promise<'sent' | 'refused' | 'failed'> {
    if (!isAllowedControlUrl(controlUrl, this.options)) {
      // The URL itself is never logged: it names the call and could carry anything a forger put there.
      this.logger.warn({ event: 'call_control_url_refused' }, 'control URL not on an allowed host');
      return 'refused';
    }
    try {
      const response = await request(controlUrl, {
        method: 'POST',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'add-message',
          message: { role: 'system', content },
          triggerResponseEnabled: triggerResponse,
        }),
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) return 'sent';
      this.logger.warn({ event: 'call_control_failed', status: response.statusCode }, 'control refused');
      return 'failed';
    } catch (error) {
      const { timedOut, code } = transportFailure(error);
      this.logger.warn({ event: 'call_control_failed', timedOut, code }, 'control request failed');
      return 'failed';
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}
