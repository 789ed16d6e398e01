import { ApplicationFailure } from '@temporalio/common';
import { KoppelError, NON_RETRYABLE_TYPES, rateLimitedError, transientError } from '../../src/domain/errors';
import { WERKBONAPP } from '../../src/systems/werkbonapp/identity';
import { toApplicationFailure } from '../../src/temporal/failures';

describe('typed errors', () => {
  const reauth = new KoppelError({
    type: 'ReauthRequired',
    system: 'nmbrs',
    code: '1001',
    message: 'Invalid Authentication',
    oorzaak: 'De inloggegevens voor Visma Nmbrs kloppen niet.',
    oplossing: 'Vul een nieuw API-token in.',
  });

  it('knows which types retrying cannot help', () => {
    expect(reauth.retryable).toBe(false);
    expect(transientError('eboekhouden', '503').retryable).toBe(true);
    expect(NON_RETRYABLE_TYPES).toEqual(['ReauthRequired', 'PermissionDenied', 'MappingIncomplete', 'PeriodClosed', 'InvalidData']);
  });

  it('speaks Dutch to the user, with cause and fix', () => {
    expect(reauth.userMessage).toBe('De inloggegevens voor Visma Nmbrs kloppen niet. Oplossing: Vul een nieuw API-token in.');
    // A client passes its system's identity, so the text names the system the user knows.
    const e = transientError(WERKBONAPP, 'timeout');
    expect(e.oorzaak).toContain('WerkbonApp');
    expect(e.system).toBe('werkbonapp');
    expect(rateLimitedError('eboekhouden', 30_000).oplossing).toContain('30 seconden');
  });

  it('becomes an ApplicationFailure with type, retryability, retry delay and details', () => {
    const f = toApplicationFailure(reauth);
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f.type).toBe('ReauthRequired');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toBe('De inloggegevens voor Visma Nmbrs kloppen niet. Vul een nieuw API-token in.');
    expect(f.details?.[0]).toMatchObject({ system: 'nmbrs', code: '1001', oplossing: 'Vul een nieuw API-token in.' });
    const limited = toApplicationFailure(rateLimitedError('eboekhouden', 12_000));
    expect(limited.nonRetryable).toBe(false);
    expect(limited.nextRetryDelay).toBe(12_000);
  });
});
