import { VapiCallRecord, VapiResource, VapiResourceBody, VapiResourceKind } from './vapi-api.types';

/**
 * The port to VAPI's REST API. Adapters throw `VapiApiError` only, with VAPI's own words in the message.
 * Used to recover a call whose end-of-call report never arrived (`getCall`) and by `npm run provision` /
 * `npm run doctor` to read and write the credential, phone number, tools and assistant this service needs.
 */
export abstract class VapiApiClient {
  /** False when VAPI_API_KEY is not set: callers skip reconciliation instead of failing. */
  abstract readonly enabled: boolean;
  /** The call, or null when VAPI does not know the id. */
  abstract getCall(callId: string): Promise<VapiCallRecord | null>;
  /** Every resource of a kind (up to the API's page maximum of 1,000), as VAPI returns them. */
  abstract listResources(kind: VapiResourceKind): Promise<VapiResource[]>;
  /** `POST /{kind}`; never retried, since a repeated create would make a second resource. */
  abstract createResource(kind: VapiResourceKind, body: VapiResourceBody): Promise<VapiResource>;
  /** `PATCH /{kind}/{id}`: VAPI replaces each top-level field sent, nested objects whole. */
  abstract updateResource(kind: VapiResourceKind, id: string, body: VapiResourceBody): Promise<VapiResource>;
}
