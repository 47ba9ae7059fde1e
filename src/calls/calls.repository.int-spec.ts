import { useTestDatabase } from '../../test/support/test-database';
import { CallsRepository } from './calls.repository';
import { MAX_VERIFICATION_ATTEMPTS } from './calls.types';

describe.each(['sqlite', 'postgres'] as const)('the caller assurance of a call on %s', (dialect) => {
  const store = useTestDatabase(dialect);
  const NOW = 1_764_000_000_000;

  const recognisedCall = async (calls: CallsRepository) => {
    await calls.record('call-1', { callerNumber: '+14155550100' }, NOW);
    await calls.saveIdentity(
      'call-1',
      { kind: 'identified', contactId: '003000000000001AAA', onFileNumber: '+15105550177' },
      NOW,
    );
  };

  it('should keep the number on file, when a code went out, and when the caller was verified', async () => {
    const calls = new CallsRepository(store.db);
    await recognisedCall(calls);

    await calls.markCodeSent('call-1', NOW + 1);
    await calls.markVerified('call-1', NOW + 2);

    expect(await calls.get('call-1')).toMatchObject({
      identity: { kind: 'identified', onFileNumber: '+15105550177' },
      verification: { codeSentAt: new Date(NOW + 1), attempts: 0, verifiedAt: new Date(NOW + 2) },
    });
  });

  it('should hand out no more attempts than the limit to codes checked at the same moment', async () => {
    const calls = new CallsRepository(store.db);
    await recognisedCall(calls);

    const taken = await Promise.all(
      Array.from({ length: 6 }, () =>
        calls.takeVerificationAttempt('call-1', MAX_VERIFICATION_ATTEMPTS, NOW),
      ),
    );

    expect(taken.filter((attempt) => attempt !== undefined).sort()).toEqual([1, 2, 3]);
    expect((await calls.get('call-1'))?.verification.attempts).toBe(3);
  });

  it('should give an unchecked attempt back, lock on demand, and hand out none once verified', async () => {
    const calls = new CallsRepository(store.db);
    await recognisedCall(calls);

    await calls.takeVerificationAttempt('call-1', MAX_VERIFICATION_ATTEMPTS, NOW);
    await calls.returnVerificationAttempt('call-1', NOW);
    expect((await calls.get('call-1'))?.verification.attempts).toBe(0);

    await calls.lockVerification('call-1', MAX_VERIFICATION_ATTEMPTS, NOW);
    expect(await calls.takeVerificationAttempt('call-1', MAX_VERIFICATION_ATTEMPTS, NOW)).toBeUndefined();

    await calls.record('call-2', {}, NOW);
    await calls.markVerified('call-2', NOW);
    expect(await calls.takeVerificationAttempt('call-2', MAX_VERIFICATION_ATTEMPTS, NOW)).toBeUndefined();
  });

  it('should keep every case of a call when several are created at the same moment', async () => {
    const calls = new CallsRepository(store.db);
    await recognisedCall(calls);
    const created = Array.from({ length: 8 }, (_, n) => ({
      id: `500000000000${String(n).padStart(3, '0')}AAA`,
      caseNumber: String(1000 + n).padStart(8, '0'),
    }));

    // One message may carry several createSalesforceCase calls; they run side by side.
    await Promise.all(created.map((ref) => calls.addCreatedCase('call-1', ref, NOW)));
    await calls.addCreatedCase('call-1', created[0], NOW);

    const kept = (await calls.get('call-1'))?.casesCreated ?? [];
    expect([...kept].sort((a, b) => a.id.localeCompare(b.id))).toEqual(created);
  });
});
