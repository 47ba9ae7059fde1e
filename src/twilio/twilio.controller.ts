import { Body, Controller, HttpCode, HttpStatus, Logger, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TwilioMessageStatusDto } from './twilio-message-status.dto';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioMetrics } from './twilio.metrics';

const FAILED_STATUSES = new Set(['failed', 'undelivered']);

@ApiTags('twilio')
@Controller('twilio')
@UseGuards(TwilioSignatureGuard)
export class TwilioController {
  private readonly logger = new Logger(TwilioController.name);

  constructor(private readonly metrics: TwilioMetrics) {}

  @Post('status')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Twilio message status callback',
    description:
      'Receives the StatusCallback of confirmation SMS. Signed by Twilio with X-Twilio-Signature over PUBLIC_URL + path.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiHeader({ name: 'X-Twilio-Signature', required: true, description: 'HMAC-SHA1 signature by Twilio' })
  @ApiBody({ type: TwilioMessageStatusDto })
  @ApiNoContentResponse({ description: 'Status recorded' })
  @ApiForbiddenResponse({ description: 'Missing or invalid signature' })
  messageStatus(@Body() callback: TwilioMessageStatusDto): void {
    this.metrics.recordStatusCallback(callback.MessageStatus, callback.ErrorCode);
    // Only the SID, status and code: the To/From numbers in the callback are personal data.
    const line = `SMS ${callback.MessageSid} is ${callback.MessageStatus}${callback.ErrorCode ? ` (Twilio error ${callback.ErrorCode})` : ''}`;
    if (FAILED_STATUSES.has(callback.MessageStatus)) this.logger.warn(line);
    else this.logger.log(line);
  }
}
