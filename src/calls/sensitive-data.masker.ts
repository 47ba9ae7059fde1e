import { Inject, Injectable } from '@nestjs/common';
import { maskSensitiveData } from '../common/sensitive-data';
import { callsConfig, CallsConfig } from './calls.config';

/**
 * Masks card numbers, their security codes and US SSNs in the free text the call workflow writes to
 * Salesforce (case subjects and descriptions, comments, call logs and transcripts), unless
 * MASK_SENSITIVE_DATA is off. Applied where a write is submitted, so the outbox never stores them, and again
 * by each handler before it writes, for rows committed before masking was on. Masking masked text changes
 * nothing.
 */
@Injectable()
export class SensitiveDataMasker {
  constructor(@Inject(callsConfig.KEY) private readonly config: CallsConfig) {}

  mask(text: string): string {
    return this.config.maskSensitiveData ? maskSensitiveData(text) : text;
  }

  /** The transcript, summary and structured text fields of a call report (or anything with those fields). */
  report<
    Report extends {
      transcript?: string;
      summary?: string;
      structured?: Record<string, string | number | boolean>;
    },
  >(report: Report): Report {
    return {
      ...report,
      ...(report.transcript === undefined ? {} : { transcript: this.mask(report.transcript) }),
      ...(report.summary === undefined ? {} : { summary: this.mask(report.summary) }),
      ...(report.structured === undefined
        ? {}
        : {
            structured: Object.fromEntries(
              Object.entries(report.structured).map(([key, value]) => [
                key,
                typeof value === 'string' ? this.mask(value) : value,
              ]),
            ),
          }),
    };
  }
}
