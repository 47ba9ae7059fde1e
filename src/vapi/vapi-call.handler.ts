import {
  AssistantRequestResponse,
  JsonObject,
  RecordedEventType,
  TransferDestinationResponse,
  VapiCallContext,
} from './vapi-message.types';

/**
 * The port through which the VAPI front door hands a call's messages to the call workflow. The workflow
 * implements it; the VAPI module knows nothing of Salesforce or the store.
 */
export abstract class VapiCallHandler {
  /** Must answer well inside VAPI's fixed 7.5 s; never throws for a slow or failed lookup. */
  abstract assistantRequest(message: JsonObject, context: VapiCallContext): Promise<AssistantRequestResponse>;
  /** Used when `assistantRequest` throws anyway: synchronous, no I/O, so a call never fails to start. */
  abstract fallbackAssistant(): AssistantRequestResponse;
  abstract transferDestination(
    message: JsonObject,
    context: VapiCallContext,
  ): Promise<TransferDestinationResponse>;
  /** Records an informational event durably before it is acknowledged; the slow work happens later. */
  abstract recordEvent(type: RecordedEventType, message: JsonObject, context: VapiCallContext): Promise<void>;
}
