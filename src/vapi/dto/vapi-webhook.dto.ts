import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ANSWERED_MESSAGE_TYPES, RECORDED_MESSAGE_TYPES } from '../vapi-message-types';

/*
 * OpenAPI documentation of the webhook. Requests are not validated against these classes beyond the envelope:
 * VAPI adds fields and types over time and a 4xx for an unknown field would drop a real event.
 * Shapes follow the official VAPI OpenAPI document (ServerMessage*, ServerMessageResponse*, ToolCallResult).
 */

export class VapiCustomerDto {
  @ApiPropertyOptional({ example: '+14155550100', description: 'Caller number (E.164)' })
  number?: string;
}

export class VapiCallDto {
  @ApiProperty({ example: '3b7c1c2e-5f0a-4d8e-9a51-6c1f2e4d7a10' })
  id!: string;

  @ApiPropertyOptional({ type: VapiCustomerDto })
  customer?: VapiCustomerDto;

  @ApiPropertyOptional({ example: 'CA0123456789abcdef0123456789abcdef', description: 'Twilio CallSid' })
  phoneCallProviderId?: string;
}

export class VapiToolCallFunctionDto {
  @ApiProperty({ example: 'createSalesforceCase' })
  name!: string;

  @ApiProperty({
    description: 'Arguments as an object or as a JSON string (both occur in real payloads)',
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
    example: { accountNumber: 'ACME-001', issueType: 'billing', description: 'Charged twice in November' },
  })
  arguments!: Record<string, unknown> | string;
}

export class VapiToolCallDto {
  @ApiProperty({ example: 'call_Xk2D9vPq4B' })
  id!: string;

  @ApiPropertyOptional({ example: 'function' })
  type?: string;

  @ApiProperty({ type: VapiToolCallFunctionDto })
  function!: VapiToolCallFunctionDto;
}

export class VapiServerMessageDto {
  @ApiProperty({
    description:
      `Message type. Answered: ${ANSWERED_MESSAGE_TYPES.join(', ')}. ` +
      `Recorded: ${RECORDED_MESSAGE_TYPES.join(', ')}. Anything else is acknowledged with {}.`,
    example: 'tool-calls',
  })
  type!: string;

  @ApiPropertyOptional({ type: VapiCallDto })
  call?: VapiCallDto;

  @ApiPropertyOptional({ type: VapiCustomerDto })
  customer?: VapiCustomerDto;

  @ApiPropertyOptional({ example: 1764000000000, description: 'Epoch milliseconds' })
  timestamp?: number;

  @ApiPropertyOptional({ type: [VapiToolCallDto], description: 'tool-calls: the list that is read first' })
  toolCallList?: VapiToolCallDto[];

  @ApiPropertyOptional({ example: 'in-progress', description: 'status-update' })
  status?: string;

  @ApiPropertyOptional({
    example: 'customer-ended-call',
    description: 'status-update (ended), end-of-call-report',
  })
  endedReason?: string;

  @ApiPropertyOptional({
    description: 'end-of-call-report: transcript, messages, recordingUrl',
    type: 'object',
    additionalProperties: true,
  })
  artifact?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'end-of-call-report: summary',
    type: 'object',
    additionalProperties: true,
  })
  analysis?: Record<string, unknown>;
}

export class VapiWebhookRequestDto {
  @ApiProperty({ type: VapiServerMessageDto })
  message!: VapiServerMessageDto;
}

export class VapiToolCallResultDto {
  @ApiProperty({ example: 'call_Xk2D9vPq4B' })
  toolCallId!: string;

  @ApiProperty({ example: 'createSalesforceCase' })
  name!: string;

  @ApiPropertyOptional({
    example: "I've opened case 0 0 0 0 1 0 2 7 for your billing issue.",
    description: 'Single-line sentence the assistant speaks',
  })
  result?: string;

  @ApiPropertyOptional({
    example: "I'm sorry, I can't do that on this line.",
    description: 'Single-line failure',
  })
  error?: string;
}

export class VapiToolCallsResponseDto {
  @ApiProperty({ type: [VapiToolCallResultDto], description: 'One result per call, in call order' })
  results!: VapiToolCallResultDto[];
}

export class VapiFunctionCallResponseDto {
  @ApiProperty({ example: "I've opened case 0 0 0 0 1 0 2 7 for your billing issue." })
  result!: string;
}

export class VapiAssistantOverridesDto {
  @ApiProperty({ example: { firstName: 'Ada', openCases: '1 open case: 00001027 (Working)' } })
  variableValues!: Record<string, string>;
}

export class VapiAssistantRequestResponseDto {
  @ApiPropertyOptional({ example: '5f2c1e0a-7d3b-4c9a-8e21-0b6f4d2a9c31' })
  assistantId?: string;

  @ApiPropertyOptional({ type: VapiAssistantOverridesDto })
  assistantOverrides?: VapiAssistantOverridesDto;

  @ApiPropertyOptional({
    description: 'Transient assistant (CreateAssistantDTO) when no VAPI_ASSISTANT_ID is configured',
    type: 'object',
    additionalProperties: true,
  })
  assistant?: Record<string, unknown>;
}

export class VapiTransferDestinationDto {
  @ApiProperty({ example: 'number', enum: ['number'] })
  type!: 'number';

  @ApiProperty({ example: '+14155550199' })
  number!: string;

  @ApiPropertyOptional({ example: "I'm connecting you with a colleague now." })
  message?: string;
}

export class VapiTransferDestinationResponseDto {
  @ApiPropertyOptional({ type: VapiTransferDestinationDto })
  destination?: VapiTransferDestinationDto;

  @ApiPropertyOptional({ example: 'Transfers are not available right now.' })
  error?: string;
}

export class VapiWebhookErrorDto {
  @ApiProperty({ example: 'unauthorized' })
  error!: string;
}
