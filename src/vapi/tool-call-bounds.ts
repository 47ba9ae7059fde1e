/**
 * Runs `work` over `items` with at most `limit` in flight, answers in item order. A message's tool calls are
 * independent by VAPI's design, but running hundreds at once would queue them all on the database and on
 * Salesforce at the same moment.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * The result of `start()`, or `late()`'s when it has not settled by `deadlineMs` (epoch ms); past the deadline
 * `start` is not called at all. The started work is not cancelled: it runs to its end in the background, and
 * must not reject (tool runs never do).
 */
export function beforeDeadline<R>(start: () => Promise<R>, deadlineMs: number, late: () => R): Promise<R> {
  const remaining = deadlineMs - Date.now();
  if (remaining <= 0) return Promise.resolve(late());
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => resolve(late()), remaining);
    start().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
