import {
  Controller,
  createParamDecorator,
  ExecutionContext,
  HttpCode,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { PinoLogger } from 'nestjs-pino';
import {
  VapiAssistantRequestResponseDto,
  VapiFunctionCallResponseDto,
  VapiToolCallsResponseDto,
  VapiTransferDestinationResponseDto,
  VapiWebhookErrorDto,
  VapiWebhookRequestDto,
} from './dto/vapi-webhook.dto';
import { SpokenFallbackInterceptor } from './spoken-fallback.interceptor';
import { MalformedEnvelopeException } from './vapi.errors';
import { isObject, readCallContext } from './vapi-message.parser';
import { VapiSignatureGuard } from './vapi-signature.guard';
import { VapiWebhookService, WebhookResponse } from './vapi-webhook.service';

/**
 * The parsed body exactly as received. A custom decorator, so the global ValidationPipe (whitelisting for the
 * operator DTOs) never strips fields VAPI sends: unknown fields are accepted by contract.
 */
const WebhookBody = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  return context.switchToHttp().getRequest<{ body?: unknown }>().body;
});

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
  constructor(
    private readonly webhook: VapiWebhookService,
    private readonly logger: PinoLogger,
  ) {}

  @Post(['vapi/webhook', 'webhook/vapi'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'VAPI server messages (POST /webhook/vapi is an alias)',
    description:
      'Receives every server message of every call. Always HTTP 200 for a signed, well-formed envelope: answered ' +
      'types get their response shape (errors become spoken sentences), all other types `{}`.',
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
  async receive(@WebhookBody() body: unknown): Promise<WebhookResponse> {
    if (!isObject(body)) throw new MalformedEnvelopeException('body must be a JSON object');
    const message = body.message;
    if (!isObject(message)) throw new MalformedEnvelopeException('message must be an object');
    if (typeof message.type !== 'string' || message.type.length === 0) {
      throw new MalformedEnvelopeException('message.type must be a non-empty string');
    }
    const { callId } = readCallContext(message);
    // The VAPI call id is the correlation id of every log line of this request.
    if (callId) this.logger.assign({ callId });
    return this.webhook.handle(message.type, message);
  }
}
