import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { REDACTED, redactPayload } from './delivery.redaction';
import { DELIVERY_STATUSES, DeliveryRecord, DeliveryStatus } from './delivery.types';

export class DeliveryListQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, example: 'dead' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'A delivery kind', example: 'salesforce.case.create' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9.-]{0,63}$/, {
    message: 'kind must be a delivery kind such as salesforce.case.create',
  })
  kind?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class DeliverySummaryDto {
  @ApiProperty({ example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' })
  id!: string;

  @ApiProperty({ example: 'salesforce.case.create' })
  kind!: string;

  @ApiProperty({ example: 'call_7f3a…:tool_1' })
  idempotencyKey!: string;

  @ApiProperty({ nullable: true, type: String, example: '3f2c7a0e-9c1d-4b8e-a5f1-2d4e6b8c0a13' })
  callId!: string | null;

  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'pending' })
  status!: DeliveryStatus;

  @ApiProperty({ example: 3 })
  attempts!: number;

  @ApiProperty({ example: '2025-05-01T10:15:30.000Z' })
  nextAttemptAt!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.',
  })
  lastError!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'RATE_LIMITED' })
  lastErrorCode!: string | null;

  @ApiProperty({ example: '2025-05-01T10:14:02.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2025-05-01T10:15:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ nullable: true, type: String, example: null })
  completedAt!: string | null;

  static from(record: DeliveryRecord): DeliverySummaryDto {
    return Object.assign(new DeliverySummaryDto(), {
      id: record.id,
      kind: record.kind,
      idempotencyKey: record.idempotencyKey,
      callId: record.callId,
      status: record.status,
      attempts: record.attempts,
      nextAttemptAt: record.nextAttemptAt.toISOString(),
      lastError: record.lastError,
      lastErrorCode: record.lastErrorCode,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      completedAt: record.completedAt?.toISOString() ?? null,
    });
  }
}

export class DeliveryDetailDto extends DeliverySummaryDto {
  @ApiProperty({
    description: 'The payload with personal data (phone numbers, emails, free text) replaced by "[redacted]"',
    example: {
      idempotencyKey: 'call_7f3a…:tool_1',
      contactId: '003XX0000001',
      issueType: 'billing',
      subject: REDACTED,
    },
  })
  payload!: unknown;

  @ApiProperty({ nullable: true, example: { id: '500XX0000001', caseNumber: '00001027' } })
  result!: unknown;

  static override from(record: DeliveryRecord): DeliveryDetailDto {
    return Object.assign(new DeliveryDetailDto(), DeliverySummaryDto.from(record), {
      payload: redactPayload(record.payload),
      result: record.result,
    });
  }
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliverySummaryDto] })
  items!: DeliverySummaryDto[];
}

export class ReplayResultDto {
  @ApiProperty({ example: 12, description: 'Dead letters put back in the queue' })
  replayed!: number;
}

export class DiscardResultDto {
  @ApiProperty({ example: 1, description: 'Dead letters deleted for good' })
  discarded!: number;
}
