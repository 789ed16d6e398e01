import { compactJournal, type JournalRun } from '../../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';
import {
  buildReversal,
  buildVouchers,
  checkAccounts,
  clip,
  findVoucher,
  fiscalYearFor,
  isBalanced,
  isLocked,
  toVoucherInput,
  TRANSACTION_TEXT_MAX,
} from '../../../src/koppelingen/nmbrs-eaccounting/domain/voucher';

const run: JournalRun = { companyId: 1001, runId: 41005, year: 2026, number: 5, periodStart: 5, periodEnd: 5, description: 'Salarisrun mei 2026' };
const line = (dim1: string, debitCredit: 'D' | 'C', cents: number, description: string) => ({ dim1, dim2: null, dim3: null, value: cents / 100, cents, debitCredit, description });
const journal = {
  transactions: [
    {
      header: { date: '2026-05-31' },
      lines: [
        line('4000', 'D', 1_000_000, 'Lonen en salarissen'),
        line('4000', 'D', 12_345, 'Lonen en salarissen'),
        line('4100', 'D', 200_001, 'Sociale lasten werkgever met een bijzonder lange omschrijving die langer is dan zestig tekens'),
        line('1640', 'C', 300_000, 'Af te dragen loonheffing'),
        line('1660', 'C', 912_346, 'Netto lonen'),
      ],
    },
  ],
};

describe('voucher building', () => {
  const txs = compactJournal(journal);

  it('makes one balanced voucher per transaction with the reference, company, year and run in the text', () => {
    const [v] = buildVouchers(run, txs, {}, 1, 'EB Bedrijf');
    expect(v.reference).toBe('NMBRS-1001-2026-41005');
    expect(v.text).toBe('NMBRS-1001-2026-41005 Nmbrs loonjournaal EB Bedrijf (1001) 2026 run 5, periode 2026-05');
    expect(v.date).toBe('2026-05-31');
    expect(isBalanced(v.rows)).toBe(true);
    // Lines are combined per account and side.
    expect(v.rows.map((r) => [r.account, r.cents])).toEqual([
      ['1640', -300_000],
      ['1660', -912_346],
      ['4000', 1_012_345],
      ['4100', 200_001],
    ]);
  });

  it('keeps every TransactionText within 60 characters', () => {
    const [v] = buildVouchers(run, txs, {}, 1);
    for (const r of v.rows) expect(r.text.length).toBeLessThanOrEqual(TRANSACTION_TEXT_MAX);
    expect(v.rows.find((r) => r.account === '4100')!.text).toMatch(/…$/);
    for (const r of buildReversal(v).rows) expect(r.text.length).toBeLessThanOrEqual(TRANSACTION_TEXT_MAX);
    expect(clip('a'.repeat(61), 60)).toHaveLength(60);
  });

  it('applies the mapping, numbers several transactions and versions', () => {
    const two = compactJournal({ transactions: [journal.transactions[0], { ...journal.transactions[0], header: { date: '2026-06-30' } }] });
    const vs = buildVouchers(run, two, { '4100': '4110' }, 2);
    expect(vs.map((v) => v.reference)).toEqual(['NMBRS-1001-2026-41005-T1-V2', 'NMBRS-1001-2026-41005-T2-V2']);
    expect(vs[1].text).toContain('deel 2/2, versie 2');
    expect(vs[0].rows.some((r) => r.account === '4110')).toBe(true);
  });

  it('reverses exactly, on the same date', () => {
    const [v] = buildVouchers(run, txs, {}, 1);
    const tb = buildReversal(v);
    expect(tb.reference).toBe('NMBRS-1001-2026-41005-TB');
    expect(tb.text.startsWith('NMBRS-1001-2026-41005-TB Tegenboeking van NMBRS-1001-2026-41005: ')).toBe(true);
    expect(tb.date).toBe(v.date);
    expect(tb.rows.map((r) => [r.account, r.cents])).toEqual(v.rows.map((r) => [r.account, -r.cents]));
  });

  it('posts euros in the debit or credit column, exact to the cent', () => {
    const input = toVoucherInput(buildVouchers(run, txs, {}, 1)[0]);
    expect(input.Rows.find((r) => r.AccountNumber === 4000)).toMatchObject({ DebitAmount: 10123.45, CreditAmount: 0 });
    expect(input.Rows.find((r) => r.AccountNumber === 1660)).toMatchObject({ DebitAmount: 0, CreditAmount: 9123.46 });
    const sum = input.Rows.reduce((s, r) => s + Math.round(r.DebitAmount * 100) - Math.round(r.CreditAmount * 100), 0);
    expect(sum).toBe(0);
  });
});

describe('pre-flight', () => {
  const acc = (Number: string, blocked = false, active = true) => ({ Number, IsActive: active, IsBlockedForManualBooking: blocked });

  it('lists missing, non-numeric and blocked or inactive accounts', () => {
    const specs = [{ rows: [{ account: '4000', cents: 1, text: '' }, { account: 'LONEN', cents: 0, text: '' }, { account: '1300', cents: -1, text: '' }, { account: '4999', cents: 0, text: '' }, { account: '4110', cents: 0, text: '' }] }];
    expect(checkAccounts(specs, [acc('4000'), acc('1300', true), acc('4110', false, false)])).toEqual({ missing: ['4999', 'LONEN'], blocked: ['1300', '4110'] });
  });

  it('finds the fiscal year of a date and sees locked years and periods', () => {
    const years = [{ Id: 'fy25', StartDate: '2025-01-01', EndDate: '2025-12-31', IsLockedForAccounting: true }, { Id: 'fy26', StartDate: '2026-01-01T00:00:00', EndDate: '2026-12-31T00:00:00', IsLockedForAccounting: false }];
    expect(fiscalYearFor('2026-05-31', years)?.Id).toBe('fy26');
    expect(fiscalYearFor('2024-12-31', years)).toBeUndefined();
    expect(isLocked('2025-03-31', years[0], null)).toBe(true);
    expect(isLocked('2026-03-31', years[1], '2026-03-31')).toBe(true);
    expect(isLocked('2026-04-30', years[1], '2026-03-31')).toBe(false);
  });

  it('finds an earlier voucher by its exact reference and date only', () => {
    const vs = [
      { Id: 'a', VoucherDate: '2026-05-31', VoucherText: 'NMBRS-1001-2026-41005-V2 Nmbrs loonjournaal' },
      { Id: 'b', VoucherDate: '2026-05-31T00:00:00', VoucherText: 'NMBRS-1001-2026-41005 Nmbrs loonjournaal' },
    ];
    expect(findVoucher(vs, 'NMBRS-1001-2026-41005', '2026-05-31')?.Id).toBe('b');
    expect(findVoucher(vs, 'NMBRS-1001-2026-41005-V2', '2026-05-31')?.Id).toBe('a');
    expect(findVoucher(vs, 'NMBRS-1001-2026-41005', '2026-06-30')).toBeUndefined();
    expect(findVoucher(vs, 'NMBRS-1001-2026-4100', '2026-05-31')).toBeUndefined();
  });
});
