import { LogThrottle } from './log-throttle';

describe('LogThrottle', () => {
  it('should let one line per key through per window and report how many were held back', () => {
    let now = 0;
    const throttle = new LogThrottle(60_000, () => now);

    expect(throttle.admit('hmac: mismatch')).toEqual({ heldBack: 0 });
    expect(throttle.admit('hmac: mismatch')).toBeUndefined();
    expect(throttle.admit('hmac: mismatch')).toBeUndefined();
    expect(throttle.admit('hmac: no-header')).toEqual({ heldBack: 0 });
    now = 60_000;
    expect(throttle.admit('hmac: mismatch')).toEqual({ heldBack: 2 });
    expect(throttle.admit('hmac: mismatch')).toBeUndefined();
  });

  it('should forget the oldest key rather than grow without bound', () => {
    const throttle = new LogThrottle(60_000, () => 0, 2);

    throttle.admit('a');
    throttle.admit('b');
    throttle.admit('c');

    expect(throttle.admit('a')).toEqual({ heldBack: 0 });
    expect(throttle.admit('c')).toBeUndefined();
  });
});
