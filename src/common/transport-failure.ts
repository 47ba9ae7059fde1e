/** What a failed `fetch`/undici request tells about itself, read without trusting its type. */
export interface TransportFailure {
  /** The request was aborted by its timeout (or an abort signal): the other side may have acted on it. */
  timedOut: boolean;
  /** The system error code (ECONNREFUSED, ECONNRESET, …) when there is one; never personal data. */
  code?: string;
}

// Duck-typed: undici's abort reason is a DOMException, which need not be an `Error` of this realm.
function stringProperty(value: unknown, key: 'name' | 'code'): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

export function transportFailure(error: unknown): TransportFailure {
  const name = stringProperty(error, 'name');
  return {
    timedOut: name === 'TimeoutError' || name === 'AbortError',
    code: stringProperty(error, 'code'),
  };
}

/**
 * The error for a request that got no answer, built by the adapter's own error class: a timeout (the other
 * side may have acted on it) or no connection at all. Both are worth another try.
 */
export function noAnswerError<E>(
  error: unknown,
  vendor: string,
  build: (kind: 'TIMEOUT' | 'UNAVAILABLE', message: string) => E,
): E {
  const { timedOut, code } = transportFailure(error);
  return timedOut
    ? build('TIMEOUT', `${vendor} did not answer within the timeout`)
    : build('UNAVAILABLE', `${vendor} could not be reached${code ? ` (${code})` : ''}`);
}
