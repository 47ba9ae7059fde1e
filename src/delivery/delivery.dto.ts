import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { CallRow } from '../store/database.types';
import { REDACTED, redactPayload } from './delivery.redaction';
import {
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  DeliveryKind,
  DeliveryRecord,
  DeliveryStatus,
} from './delivery.types';

export class DeliveryListQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, example: 'dead' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ enum: DELIVERY_KINDS, example: 'salesforce.case.create' })
  @IsOptional()
  @IsIn(DELIVERY_KINDS)
  kind?: DeliveryKind;

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

  @ApiProperty({ enum: DELIVERY_KINDS, example: 'salesforce.case.create' })
  kind!: DeliveryKind;

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

export class CallRecordDto {
  @ApiProperty({ example: '3f2c7a0e-9c1d-4b8e-a5f1-2d4e6b8c0a13' })
  id!: string;

  @ApiProperty({ example: 'identified' })
  identityKind!: string;

  @ApiProperty({ nullable: true, type: String, example: REDACTED, description: 'Redacted' })
  callerNumber!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '003XX0000001' })
  contactId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '001XX0000001' })
  accountId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'CA0123456789abcdef0123456789abcdef' })
  twilioCallSid!: string | null;

  @ApiProperty({ example: 'ended' })
  status!: string;

  @ApiProperty({ nullable: true, type: String, example: '2025-05-01T10:14:02.000Z' })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2025-05-01T10:19:40.000Z' })
  endedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'customer-ended-call' })
  endedReason!: string | null;

  @ApiProperty({ example: ['00001027'], description: 'Cases created during the call (JSON as stored)' })
  casesCreated!: unknown;

  @ApiProperty({ nullable: true, example: null })
  transfer!: unknown;

  @ApiProperty({ nullable: true, type: String, example: '2025-05-01T10:19:45.000Z' })
  reportReceivedAt!: string | null;

  @ApiProperty({ example: '2025-05-01T10:14:02.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2025-05-01T10:19:45.000Z' })
  updatedAt!: string;

  static from(row: CallRow): CallRecordDto {
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    return Object.assign(new CallRecordDto(), {
      id: row.id,
      identityKind: row.identity_kind,
      callerNumber: row.caller_number === null ? null : REDACTED,
      contactId: row.contact_id,
      accountId: row.account_id,
      twilioCallSid: row.twilio_call_sid,
      status: row.status,
      startedAt: iso(row.started_at),
      endedAt: iso(row.ended_at),
      endedReason: row.ended_reason,
      casesCreated: parseJson(row.cases_created),
      transfer: row.transfer === null ? null : redactPayload(parseJson(row.transfer)),
      reportReceivedAt: iso(row.report_received_at),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    });
  }
}

export class CallWithDeliveriesDto {
  @ApiProperty({
    type: CallRecordDto,
    nullable: true,
    description: 'Null when only deliveries reference the call',
  })
  call!: CallRecordDto | null;

  @ApiProperty({ type: [DeliveryDetailDto] })
  deliveries!: DeliveryDetailDto[];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return REDACTED;
  }
}
