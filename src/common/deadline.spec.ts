import { withinDeadline } from './deadline';

describe('withinDeadline', () => {
  afterEach(() => jest.useRealTimers());

  it("should give the work's result when it settles first, and leave no timer behind", async () => {
    jest.useFakeTimers();
    const onExpiry = jest.fn(() => 'late');

    await expect(withinDeadline(Promise.resolve('done'), 1_000, onExpiry)).resolves.toBe('done');
    expect(jest.getTimerCount()).toBe(0);
    expect(onExpiry).not.toHaveBeenCalled();
  });

  it("should give onExpiry's value once the time has passed, while the work goes on", async () => {
    jest.useFakeTimers();
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => (finish = resolve));

    const raced = withinDeadline(work, 1_000, () => 'late');
    jest.advanceTimersByTime(1_000);

    await expect(raced).resolves.toBe('late');
    finish('done');
    await expect(work).resolves.toBe('done');
  });

  it("should pass the work's failure on and clear its timer", async () => {
    jest.useFakeTimers();
    await expect(withinDeadline(Promise.reject(new Error('boom')), 1_000, () => 'late')).rejects.toThrow(
      'boom',
    );
    expect(jest.getTimerCount()).toBe(0);
  });
});
