import type { RouteKind } from './data-api';

/**
 * Fault injection for the data API and, separately, the token endpoint. Random errors come from a seeded PRNG
 * so a test that sets `errorRate` sees the same sequence every run.
 */

export interface FaultRequestInfo {
  method: string;
  /** Full request path with query string, e.g. `/services/data/v62.0/query?q=…`. */
  path: string;
  kind: RouteKind;
}

export interface FaultSettings {
  /** Delay before a matched data request is handled. */
  latencyMs?: number;
  /** Adds a delay uniform in [0, latencyJitterMs) to `latencyMs` (seeded like `errorRate`, from its own PRNG). */
  latencyJitterMs?: number;
  /** 503 with an error array. */
  outage?: boolean;
  /** Share (0..1) of matched requests answered 500 UNKNOWN_EXCEPTION. */
  errorRate?: number;
  /** Reseeds the PRNG behind `errorRate`. */
  errorSeed?: number;
  /** 403 REQUEST_LIMIT_EXCEEDED whatever the usage. */
  limitExceeded?: boolean;
  /** Accept the request and never answer (until `close()` or the fault is cleared and the socket dropped). */
  hang?: boolean;
  /** The next N matched write requests are committed, then the socket is destroyed without a response. */
  loseResponses?: number;
  /** Limits the data faults above to requests whose path (full, or after `/services/data/vXX.X`) starts with this, or that the predicate accepts. */
  match?: string | ((request: FaultRequestInfo) => boolean);
  /** Token endpoint: 503. */
  tokenOutage?: boolean;
  /** Token endpoint: delay. */
  tokenLatencyMs?: number;
  /** Token endpoint: accept and never answer. */
  tokenHang?: boolean;
}

export type DataFault = 'outage' | 'limitExceeded' | 'error';

const DEFAULT_SEED = 0x5eed;

/** mulberry32: small, fast, good enough for deterministic fault sampling. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultState {
  private settings: Omit<FaultSettings, 'errorSeed'> = {};
  private random = prng(DEFAULT_SEED);
  /** Apart from `random`, so setting a jitter leaves the error sequence of a seed unchanged. */
  private jitter = prng(DEFAULT_SEED + 1);

  set(changes: FaultSettings): void {
    const { errorSeed, ...rest } = changes;
    if (rest.errorRate !== undefined && !(rest.errorRate >= 0 && rest.errorRate <= 1)) {
      throw new RangeError('errorRate must be between 0 and 1');
    }
    if (rest.latencyJitterMs !== undefined && !(rest.latencyJitterMs >= 0)) {
      throw new RangeError('latencyJitterMs must be 0 or more');
    }
    if (
      rest.loseResponses !== undefined &&
      !(Number.isInteger(rest.loseResponses) && rest.loseResponses >= 0)
    ) {
      throw new RangeError('loseResponses must be a whole number');
    }
    this.settings = { ...this.settings, ...rest };
    if (errorSeed !== undefined) this.random = prng(errorSeed);
  }

  clear(): void {
    this.settings = {};
    this.random = prng(DEFAULT_SEED);
    this.jitter = prng(DEFAULT_SEED + 1);
  }

  current(): Readonly<Omit<FaultSettings, 'errorSeed'>> {
    return { ...this.settings };
  }

  applies(request: FaultRequestInfo): boolean {
    const { match } = this.settings;
    if (match === undefined) return true;
    if (typeof match === 'function') return match(request);
    const relative = request.path.replace(/^\/services\/data\/v\d+\.\d+/, '');
    return request.path.startsWith(match) || relative.startsWith(match);
  }

  latencyMs(request: FaultRequestInfo): number {
    if (!this.applies(request)) return 0;
    const jitter = this.settings.latencyJitterMs ?? 0;
    return (this.settings.latencyMs ?? 0) + (jitter > 0 ? Math.floor(this.jitter() * jitter) : 0);
  }

  hangs(request: FaultRequestInfo): boolean {
    return this.settings.hang === true && this.applies(request);
  }

  /** The fault answering this request instead of the fake, if any. */
  dataFault(request: FaultRequestInfo): DataFault | undefined {
    if (!this.applies(request)) return undefined;
    if (this.settings.outage) return 'outage';
    if (this.settings.limitExceeded) return 'limitExceeded';
    const rate = this.settings.errorRate ?? 0;
    if (rate > 0 && this.random() < rate) return 'error';
    return undefined;
  }

  /** Consumes one lost response if this write is matched and some are left. */
  takeLostResponse(request: FaultRequestInfo): boolean {
    const left = this.settings.loseResponses ?? 0;
    if (left <= 0 || !this.applies(request)) return false;
    this.settings.loseResponses = left - 1;
    return true;
  }

  token(): { outage: boolean; latencyMs: number; hang: boolean } {
    return {
      outage: this.settings.tokenOutage === true,
      latencyMs: this.settings.tokenLatencyMs ?? 0,
      hang: this.settings.tokenHang === true,
    };
  }
}
