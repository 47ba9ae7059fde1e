import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MinLength, Min } from 'class-validator';
import { loadEnvironment } from './config.util';

export class AppEnvironment {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** Externally visible base URL: tool server URLs and Twilio signature checks are built from it. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_URL: string = 'http://localhost:3000';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** How long in-flight requests may drain after SIGTERM before the process exits. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS: number = 10_000;

  /** Protects operator endpoints; when unset they answer 401 to everybody. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  ADMIN_API_KEY?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  OPERATOR_RATE_LIMIT_PER_MINUTE: number = 120;

  @IsIn(['true', 'false'])
  DOCS_ENABLED: string = 'true';
}

export const appConfig = registerAs('app', () => {
  const env = loadEnvironment(AppEnvironment, process.env);
  return {
    port: env.PORT,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    adminApiKey: env.ADMIN_API_KEY,
    operatorRateLimitPerMinute: env.OPERATOR_RATE_LIMIT_PER_MINUTE,
    docsEnabled: env.DOCS_ENABLED === 'true',
  };
});
export type AppConfig = ReturnType<typeof appConfig>;
