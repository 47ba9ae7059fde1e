import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AdminApiKeyGuard } from './admin-api-key.guard';

/** A controller of operator endpoints under `/admin`: API key, rate limit, and their OpenAPI description. */
export function OperatorController(): ClassDecorator {
  return applyDecorators(
    ApiTags('operator'),
    ApiSecurity('admin-api-key'),
    ApiUnauthorizedResponse({ description: 'Missing or wrong API key' }),
    ApiTooManyRequestsResponse({ description: 'Operator rate limit exceeded' }),
    // The limiter first: wrong keys count too, so a key cannot be guessed at full speed.
    UseGuards(ThrottlerGuard, AdminApiKeyGuard),
    Controller('admin'),
  );
}
