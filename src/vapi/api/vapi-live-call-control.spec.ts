import { isAllowedControlUrl } from './vapi-live-call-control';

const production = { hosts: ['vapi.ai'], allowLoopbackHttp: false, timeoutMs: 1000 };
const tests = { ...production, allowLoopbackHttp: true };

describe('isAllowedControlUrl', () => {
  it.each([
    'https://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/3f9a/control',
    'https://vapi.ai/control',
  ])('should accept %s', (url) => {
    expect(isAllowedControlUrl(url, production)).toBe(true);
  });

  it.each([
    ['plain http', 'http://phone-call-websocket.vapi.ai/3f9a/control'],
    ['a look-alike host', 'https://vapi.ai.attacker.example/control'],
    ['a suffix that is not a subdomain', 'https://evilvapi.ai/control'],
    ['credentials in the URL', 'https://user:pass@x.vapi.ai/control'],
    ['loopback without the test flag', 'http://127.0.0.1:4000/control/1'],
    ['something that is not a URL', 'not a url'],
  ])('should refuse %s', (_what, url) => {
    expect(isAllowedControlUrl(url, production)).toBe(false);
  });

  it('should accept loopback http only with the test flag, and no other http host', () => {
    expect(isAllowedControlUrl('http://127.0.0.1:4000/control/1', tests)).toBe(true);
    expect(isAllowedControlUrl('http://10.0.0.5:4000/control/1', tests)).toBe(false);
  });
});
