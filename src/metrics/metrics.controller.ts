import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Registry } from 'prom-client';
import { InjectMetricsRegistry } from './metrics.tokens';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@InjectMetricsRegistry() private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
