import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * The fields we read from a Twilio message status callback (form-encoded). Twilio sends more (`To`, `From`,
 * `AccountSid`, `ApiVersion`, `SmsSid`, `SmsStatus`, …) and adds fields over time; they are not declared here
 * and must not cause a rejection.
 */
export class TwilioMessageStatusDto {
  @ApiProperty({ description: 'The message SID', example: 'SM0123456789abcdef0123456789abcdef' })
  @IsString()
  MessageSid!: string;

  @ApiProperty({
    description:
      'queued | sending | sent | failed | delivered | undelivered | receiving | received | accepted | scheduled | read | partially_delivered | canceled',
    example: 'delivered',
  })
  @IsString()
  MessageStatus!: string;

  @ApiPropertyOptional({
    description: 'Twilio error code, present when the status is failed or undelivered',
    example: '30003',
  })
  @IsOptional()
  @IsString()
  ErrorCode?: string;

  @ApiPropertyOptional({
    description: 'The account that sent the message',
    example: 'AC0123456789abcdef0123456789abcdef',
  })
  @IsOptional()
  @IsString()
  AccountSid?: string;
}
