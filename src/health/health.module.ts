import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { appConfig } from '../config/app.config';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { ShutdownState } from './shutdown.state';

@Module({})
export class HealthModule {
  /**
   * `checks` are the readiness checks to report, in order: those exported by `imports`, and those listed in
   * `provide`, which this module instantiates itself.
   */
  static register(options: {
    imports: NonNullable<ModuleMetadata['imports']>;
    checks: Type<ReadinessCheck>[];
    provide?: Type<ReadinessCheck>[];
  }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule, ConfigModule.forFeature(appConfig), ...options.imports],
      controllers: [HealthController],
      providers: [
        ShutdownState,
        ...(options.provide ?? []),
        {
          provide: READINESS_CHECKS,
          inject: options.checks,
          useFactory: (...checks: ReadinessCheck[]) => checks,
        },
      ],
    };
  }
}
