/** One dependency's state as /health/ready reports it. Gating (503 or not) is decided by READINESS_GATES. */
export interface ReadinessResult {
  up: boolean;
  details: Record<string, unknown>;
}

export interface ReadinessCheck {
  readonly key: 'store' | 'salesforce' | 'delivery';
  check(): Promise<ReadinessResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
