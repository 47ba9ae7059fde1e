import { SetupCheckResult } from '../common/setup-check';

/**
 * The port for one-time codes by SMS (Twilio Verify): proof that the caller holds the phone on file, not just
 * a caller ID that anyone can present. Adapters throw `PhoneVerificationError` only.
 */
export abstract class PhoneVerifier {
  /** False when no verification service is configured: callers say so instead of failing. */
  abstract readonly enabled: boolean;
  /**
   * Texts a one-time code to `to` (E.164), worded in `language` (ISO 639-1) when given. Asked again while a code
   * is pending, the same code goes again.
   */
  abstract sendCode(to: string, language?: string): Promise<void>;
  /** True when `code` is the pending code of `to` (which is then used up); false when it is not. */
  abstract checkCode(to: string, code: string): Promise<boolean>;
  /** The `npm run doctor` check of the Verify service (reads only; nothing is sent to anyone). */
  abstract checkSetup(): Promise<SetupCheckResult[]>;
}
