/**
 * `work`'s result, or `onExpiry()`'s if `ms` pass first; `work` itself goes on either way. The timer is cleared
 * as soon as either side settles (an abortable sleep would instead build an AbortError, a DOMException with its
 * stack, for every piece of work that finishes in time).
 */
export function withinDeadline<T, E>(work: Promise<T>, ms: number, onExpiry: () => E): Promise<T | E> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<E>((resolve) => {
    timer = setTimeout(() => resolve(onExpiry()), Math.max(0, ms));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
