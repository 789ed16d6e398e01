/** The seed 002 error table and contract §2.2, one by one: each answer → its typed error with the Dutch cause and fix. */
import { mapError, retryAfterFromText } from '../../../src/systems/eaccounting/client';

describe('eAccounting error mapping', () => {
  it('"Resource not found: fiscalYearId": create the fiscal year in Visma', () => {
    const e = mapError({ status: 400, code: 3000, message: 'ResourceNotFoundException - Resource not found: fiscalYearId' });
    expect(e.type).toBe('InvalidData');
    expect(e.oorzaak).toContain('boekjaar is nog niet aangemaakt');
    expect(e.oplossing).toContain('maak het boekjaar aan');
  });

  it('403/4002 no access to module api_standard: the seed\'s message, turn the default company off', () => {
    const e = mapError({ status: 403, code: 4002, message: 'ForbiddenRequestException - No access to module: api_standard' });
    expect(e.type).toBe('PermissionDenied');
    expect(e.oorzaak).toContain("De API module is nog niet geactiveerd. U kunt inloggen bij Visma eAccounting en kiezen voor 'Extra diensten'");
    expect(e.oplossing).toContain("Zet de instelling 'standaardbedrijf' uit");
    // 4002 on a voucher (400) is the other meaning: cannot be created.
    expect(mapError({ status: 400, code: 4002, message: 'CanNotBeCreatedOrUpdated' }).type).toBe('InvalidData');
  });

  it("the seed's third message, 'Ledger' cannot be empty: complete the General Ledger fields", () => {
    const e = mapError({ status: 400, message: "VismaId: 1f2e. Error creating journal transaction. Error: Inserting 'General ledger batch' record raised at least one error. Please review the errors.\r\nError: 'Ledger' cannot be empty.\r\n" });
    expect(e.type).toBe('InvalidData');
    expect(e.oorzaak).toContain('grootboek');
    expect(e.oplossing).toContain('Vul');
  });

  it('401/4005: the token was refused (the client refreshes once before this)', () => {
    const e = mapError({ status: 401, code: 4005, message: 'AuthorizationException - Authorization has been denied for this request.' });
    expect(e.type).toBe('ReauthRequired');
    expect(mapError({ status: 401, message: '' }).type).toBe('ReauthRequired');
  });

  it('429/4010: waits the seconds the message states', () => {
    const e = mapError({ status: 429, code: 4010, message: 'API calls quota exceeded! maximum admitted 600 per Minute. Try again in 55 seconds.' });
    expect(e.type).toBe('RateLimited');
    expect(e.retryAfterMs).toBe(55_000);
    expect(e.oplossing).toContain('55 seconden');
    expect(retryAfterFromText('no seconds here', '7')).toBe(7_000);
    expect(retryAfterFromText('no seconds here', null)).toBeUndefined();
  });

  it('4026/4038: locked period or year, not retried', () => {
    for (const code of [4026, 4038]) {
      const e = mapError({ status: 400, code, message: 'VoucherDateIsInLocked…' });
      expect(e.type).toBe('PeriodClosed');
      expect(e.retryable).toBe(false);
    }
  });

  it('3002: unknown account → MappingIncomplete naming it', () => {
    const e = mapError({ status: 400, code: 3002, message: 'AccountNotFoundException - Account 4999 does not exist in fiscal year 2026.' });
    expect(e.type).toBe('MappingIncomplete');
    expect(e.details).toEqual({ missingCodes: ['4999'] });
  });

  it('access codes → PermissionDenied; 2000 → InvalidData with the field errors; 5xx → Transient', () => {
    expect(mapError({ status: 403, code: 4011, message: 'ForbiddenRequestException - The authenticated user does not have access to eAccounting for this company.' }).type).toBe('PermissionDenied');
    const v = mapError({ status: 400, code: 2000, message: 'DataModelValidationError', errors: [{ Field: 'Rows[0].TransactionText', Message: 'max 60' }] });
    expect(v.type).toBe('InvalidData');
    expect(v.oorzaak).toContain('Rows[0].TransactionText');
    expect(mapError({ status: 503, code: 5001, message: 'CantReachSystemDependency' }).type).toBe('Transient');
    expect(mapError({ status: 502, message: 'bad gateway' }).type).toBe('Transient');
  });
});

describe('per-endpoint request window', () => {
  it('lets 600 requests a minute through per endpoint, and the next one waits until the oldest is a minute old', async () => {
    const { takeSlot } = await import('../../../src/systems/eaccounting/client/client');
    let t = 1_000_000;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      t += ms;
    };
    for (let i = 0; i < 600; i++) await takeSlot('POST /v2/vouchers#unit', 600, () => t, sleep);
    await takeSlot('GET /v2/fiscalyears#unit', 600, () => t, sleep); // another endpoint: its own window
    expect(waits).toEqual([]);
    t += 10_000;
    await takeSlot('POST /v2/vouchers#unit', 600, () => t, sleep);
    expect(waits).toEqual([50_001]);
  });
});
