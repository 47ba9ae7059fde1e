import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { AdminApiKeyGuard } from './admin-api-key.guard';

function contextWith(headers: Record<string, string>): ExecutionContext {
  return { switchToHttp: () => ({ getRequest: () => ({ headers }) }) } as unknown as ExecutionContext;
}

const config = (adminApiKey?: string): AppConfig => ({ adminApiKey }) as AppConfig;

describe('AdminApiKeyGuard', () => {
  it('should let in the configured key from x-api-key or a bearer token', () => {
    const guard = new AdminApiKeyGuard(config('a-long-operator-key'));
    expect(guard.canActivate(contextWith({ 'x-api-key': 'a-long-operator-key' }))).toBe(true);
    expect(guard.canActivate(contextWith({ authorization: 'Bearer a-long-operator-key' }))).toBe(true);
  });

  it('should refuse a wrong, shorter or missing key', () => {
    const guard = new AdminApiKeyGuard(config('a-long-operator-key'));
    const attempts: Array<Record<string, string>> = [
      { 'x-api-key': 'a-long-operator-kex' },
      { 'x-api-key': 'a' },
      {},
      { authorization: 'Basic a-long-operator-key' },
    ];
    for (const headers of attempts) {
      expect(() => guard.canActivate(contextWith(headers))).toThrow(UnauthorizedException);
    }
  });

  it('should refuse everybody when no key is configured', () => {
    const guard = new AdminApiKeyGuard(config(undefined));
    expect(() => guard.canActivate(contextWith({ 'x-api-key': '' }))).toThrow(UnauthorizedException);
    expect(() => guard.canActivate(contextWith({}))).toThrow(UnauthorizedException);
  });
});
