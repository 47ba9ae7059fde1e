import { VapiCallRecord } from './vapi-api.types';

/**
 * The port to VAPI's REST API. Adapters throw `VapiApiError` only. Used to recover a call whose
 * end-of-call report never arrived; provisioning operations will join it.
 */
export abstract class VapiApiClient {
  /** False when VAPI_API_KEY is not set: callers skip reconciliation instead of failing. */
  abstract readonly enabled: boolean;
  /** The call, or null when VAPI does not know the id. */
  abstract getCall(callId: string): Promise<VapiCallRecord | null>;
}
