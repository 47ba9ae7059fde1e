import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { appConfig, AppConfig } from '../config/app.config';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { ShutdownState } from './shutdown.state';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers. Never depends on Salesforce or the database.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: draining state, store, Salesforce token and API usage, delivery backlog',
    description:
      'Every check is reported; only those listed in READINESS_GATES (default: store) and draining after SIGTERM ' +
      'turn the answer into 503.',
  })
  @ApiServiceUnavailableResponse({ description: 'Draining after SIGTERM, or a gating check is down' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const session = this.indicator.check('shutdown');
        return Promise.resolve(
          this.shutdown.draining ? session.down({ draining: true }) : session.up({ draining: false }),
        );
      },
      ...this.checks.map((check) => () => this.run(check)),
    ]);
  }

  private async run(check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(check.key);
    const gating = this.config.readinessGates.has(check.key);
    try {
      const { up, details } = await check.check();
      if (up) return session.up(details);
      return gating ? session.down(details) : session.up({ ...details, degraded: true });
    } catch (error) {
      const details = { error: error instanceof Error ? error.message : 'check failed' };
      return gating ? session.down(details) : session.up({ ...details, degraded: true });
    }
  }
}
