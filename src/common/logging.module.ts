import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { Logger } from 'pino';
import type { Writable } from 'node:stream';
import { appConfig, AppConfig } from '../config/app.config';
import { createAppLogger } from './app-logger';
import { NestJsonLogger } from './nest-json-logger';

/** The app's pino logger (app-logger.ts), for the access log and Nest's logger. */
export const APP_LOGGER = Symbol('APP_LOGGER');

/** Structured JSON logs through pino; `stream` lets tests capture what would be written. */
@Module({})
export class LoggingModule {
  static register(stream?: Writable): DynamicModule {
    return {
      module: LoggingModule,
      imports: [ConfigModule.forFeature(appConfig)],
      providers: [
        {
          provide: APP_LOGGER,
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig): Logger => createAppLogger(config.logLevel, stream),
        },
        {
          provide: NestJsonLogger,
          inject: [APP_LOGGER],
          useFactory: (logger: Logger) => new NestJsonLogger(logger),
        },
      ],
      exports: [APP_LOGGER, NestJsonLogger],
    };
  }
}
