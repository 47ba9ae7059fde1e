import { Controller, HttpCode, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { bindCallId } from '../common/request-context';
import {
  VapiAssistantRequestResponseDto,
  VapiFunctionCallResponseDto,
  VapiToolCallsResponseDto,
  VapiTransferDestinationResponseDto,
  VapiWebhookErrorDto,
  VapiWebhookRequestDto,
} from './dto/vapi-webhook.dto';
import { SpokenFallbackInterceptor, WebhookRequest } from './spoken-fallback.interceptor';
import { ParsedMessage } from './vapi-message.parser';
import { WebhookResponse } from './vapi-responses';
import { VapiSignatureGuard } from './vapi-signature.guard';
import { VapiWebhookService } from './vapi-webhook.service';

/**
 * The message as the spoken-fallback interceptor parsed it (once per request). The raw body is never bound to
 * a DTO: the global ValidationPipe would strip fields VAPI sends, and unknown fields are accepted by contract.
 * Read from `@Req()` rather than a custom parameter decorator, which Nest would run through the global pipes
 * on every request for nothing.
 */
function parsedMessageOf(request: WebhookRequest): ParsedMessage {
  const parsed = request.vapiMessage;
  if (!parsed) throw new Error('SpokenFallbackInterceptor must run before the webhook handler');
  return parsed;
}

@ApiTags('vapi')
@ApiSecurity('vapi-hmac')
@ApiSecurity('vapi-secret')
@ApiSecurity('vapi-bearer')
@ApiSecurity('vapi-signature')
@ApiExtraModels(
  VapiToolCallsResponseDto,
  VapiAssistantRequestResponseDto,
  VapiTransferDestinationResponseDto,
  VapiFunctionCallResponseDto,
)
@Controller()
@UseGuards(VapiSignatureGuard)
@UseInterceptors(SpokenFallbackInterceptor)
export class VapiWebhookController {
  constructor(private readonly webhook: VapiWebhookService) {}

  @Post(['vapi/webhook', 'webhook/vapi'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'VAPI server messages (POST /webhook/vapi is an alias)',
    description:
      'Receives every server message of every call. HTTP 200 for a signed, well-formed envelope: answered ' +
      'types get their response shape (errors become spoken sentences), all other types `{}` once what they ' +
      'tell is stored. A message whose durable write failed is answered 503, for VAPI to retry it.',
  })
  @ApiBody({ type: VapiWebhookRequestDto })
  @ApiOkResponse({
    description: 'Shape depends on message.type; informational messages get {}',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(VapiToolCallsResponseDto) },
        { $ref: getSchemaPath(VapiAssistantRequestResponseDto) },
        { $ref: getSchemaPath(VapiTransferDestinationResponseDto) },
        { $ref: getSchemaPath(VapiFunctionCallResponseDto) },
        { type: 'object', additionalProperties: false, description: 'Acknowledgement' },
      ],
    },
  })
  @ApiUnauthorizedResponse({
    type: VapiWebhookErrorDto,
    description: 'Signature, secret or token check failed',
  })
  @ApiBadRequestResponse({ description: 'The body is not { "message": { "type": string, … } }' })
  @ApiServiceUnavailableResponse({
    type: VapiWebhookErrorDto,
    description: 'A status update, transcript or end-of-call report could not be stored: retry it',
  })
  async receive(@Req() request: WebhookRequest): Promise<WebhookResponse> {
    const { event } = parsedMessageOf(request);
    // The VAPI call id is the correlation id of every log line of this request.
    if (event.call.callId) bindCallId(event.call.callId);
    return this.webhook.handle(event);
  }
}
