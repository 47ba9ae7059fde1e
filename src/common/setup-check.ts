/**
 * One line of a set-up check against a live vendor: `npm run doctor` prints them as a checklist, and the
 * service logs the Salesforce and Twilio ones once at start-up. `detail` and `fix` never carry a secret; `fix`
 * names the variable or the vendor setting to change.
 */
export interface SetupCheckResult {
  /** What was checked, e.g. `token (client_credentials)`. */
  check: string;
  /** `warn`: works, but something needs attention or cannot be verified from here; only `fail` fails. */
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail?: string;
  fix?: string;
}

export const pass = (check: string, detail?: string): SetupCheckResult => ({ check, status: 'pass', detail });
export const fail = (check: string, detail: string, fix: string): SetupCheckResult => ({
  check,
  status: 'fail',
  detail,
  fix,
});
export const warn = (check: string, detail: string, fix?: string): SetupCheckResult => ({
  check,
  status: 'warn',
  detail,
  fix,
});
export const skip = (check: string, detail: string): SetupCheckResult => ({ check, status: 'skip', detail });
