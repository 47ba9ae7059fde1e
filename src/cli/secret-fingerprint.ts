import { scryptSync } from 'node:crypto';

/**
 * A short one-way fingerprint of a secret, put in the name of the VAPI resource that holds it. VAPI does not
 * show a stored secret again ("once created, secrets are encrypted and cannot be viewed"), so provisioning and
 * the doctor compare fingerprints to know whether VAPI holds the secret this deployment has. scrypt makes each
 * guess at a weak secret costly; 48 bits tell two secrets apart and are far too few to stand in for one.
 */
export function secretFingerprint(secret: string): string {
  return scryptSync(secret, 'voice-crm/vapi-resource-name', 6).toString('hex');
}
