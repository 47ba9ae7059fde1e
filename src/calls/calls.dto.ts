import { ApiProperty } from '@nestjs/swagger';
import { DeliveryDetailDto } from '../delivery/delivery.dto';
import { REDACTED, redactPayload } from '../delivery/delivery.redaction';
import { CallRow } from '../store/database.types';
import { assuranceOf, CallerAssurance } from './calls.types';

export class CallRecordDto {
  @ApiProperty({ example: '3f2c7a0e-9c1d-4b8e-a5f1-2d4e6b8c0a13' })
  id!: string;

  @ApiProperty({ example: 'identified' })
  identityKind!: string;

  @ApiProperty({ nullable: true, type: String, example: REDACTED, description: 'Redacted' })
  callerNumber!: string | null;

  @ApiProperty({
    enum: ['unknown', 'recognised', 'verified'],
    example: 'recognised',
    description:
      'recognised: the caller ID matches one Contact; verified: the caller read back a code texted to it',
  })
  assurance!: CallerAssurance;

  @ApiProperty({ example: 0, description: 'One-time codes tried in this call (locked at three)' })
  verificationAttempts!: number;

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
      assurance: assuranceOf(
        { kind: row.identity_kind, contactId: row.contact_id ?? undefined },
        {
          attempts: row.verification_attempts,
          verifiedAt: row.verified_at === null ? undefined : new Date(row.verified_at),
        },
      ),
      verificationAttempts: row.verification_attempts,
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
