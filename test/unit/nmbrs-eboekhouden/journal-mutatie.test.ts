/** Nmbrs journal → e-Boekhouden memoriaal: combining, hashing, mapping, reversal, cents. */
import type { NmbrsJournal, NmbrsJournalLine } from '../../../src/systems/nmbrs/client/types';
import {
  buildBoekingen,
  buildTegenboeking,
  codesOf,
  compactJournal,
  differences,
  formatEuro,
  isBalanced,
  journalHash,
  missingCodes,
  referenceFor,
  runKey,
  runLabel,
  targetCode,
  toMutatieInput,
  totals,
  type JournalRun,
} from '../../../src/koppelingen/nmbrs-eboekhouden/domain/journal-mutatie';

const line = (dim1: string, cents: number, debitCredit: 'D' | 'C', description = `GL ${dim1}`, dim2: string | null = null): NmbrsJournalLine => ({
  dim1,
  dim2,
  dim3: null,
  value: cents / 100,
  cents,
  debitCredit,
  description,
});

const journal = (...transactions: Array<{ date: string; lines: NmbrsJournalLine[] }>): NmbrsJournal => ({
  transactions: transactions.map((t) => ({ header: { date: t.date, period: `${Number(t.date.slice(5, 7))}/${t.date.slice(0, 4)}` }, lines: t.lines })),
});

const run: JournalRun = { companyId: 1001, runId: 41003, year: 2026, number: 3, periodStart: 3, periodEnd: 3, description: 'Salarisrun maart 2026' };

const maart = journal({
  date: '2026-03-31',
  lines: [
    line('4000', 1_500_000, 'D', 'Lonen', 'KP1'),
    line('4000', 12_345, 'D', 'Lonen', 'KP2'),
    line('4100', 281_296, 'D'),
    line('1640', 646_001, 'C'),
    line('1660', 1_147_640, 'C'),
  ],
});

describe('compactJournal', () => {
  test('combines lines per account and side, keeps integer cents, drops zero lines and empty transactions', () => {
    const txs = compactJournal({
      transactions: [
        ...maart.transactions,
        { header: { date: '2026-03-31' }, lines: [line('4000', 0, 'D'), line('1660', 0, 'C')] },
      ],
    });
    expect(txs).toHaveLength(1);
    expect(txs[0].lineCount).toBe(5);
    expect(txs[0].regels).toEqual([
      { dim1: '1640', side: 'C', cents: 646_001, description: 'GL 1640', lines: 1 },
      { dim1: '1660', side: 'C', cents: 1_147_640, description: 'GL 1660', lines: 1 },
      { dim1: '4000', side: 'D', cents: 1_512_345, description: 'Lonen', lines: 2 },
      { dim1: '4100', side: 'D', cents: 281_296, description: 'GL 4100', lines: 1 },
    ]);
  });

  test('debet and credit on one account stay separate lines', () => {
    const txs = compactJournal(journal({ date: '2026-01-31', lines: [line('4000', 100, 'D'), line('4000', 40, 'C'), line('1660', 60, 'C')] }));
    expect(txs[0].regels.map((r) => `${r.dim1}${r.side}${r.cents}`)).toEqual(['1660C60', '4000D100', '4000C40']);
  });
});

describe('journalHash', () => {
  const base = compactJournal(maart);

  test('ignores line order, descriptions and dim2/dim3, which e-Boekhouden never receives', () => {
    const shuffled = compactJournal({
      transactions: [{ header: { date: '2026-03-31', period: '3/2026' }, lines: [...maart.transactions[0].lines].reverse().map((l) => ({ ...l, description: 'anders', dim2: 'X' })) }],
    });
    expect(journalHash(shuffled)).toBe(journalHash(base));
  });

  test('changes with any amount or date', () => {
    const moreWages = compactJournal(journal({ date: '2026-03-31', lines: maart.transactions[0].lines.map((l) => (l.dim1 === '4000' ? { ...l, cents: l.cents + 1 } : l)) }));
    const otherDate = compactJournal(journal({ date: '2026-03-30', lines: maart.transactions[0].lines }));
    expect(journalHash(moreWages)).not.toBe(journalHash(base));
    expect(journalHash(otherDate)).not.toBe(journalHash(base));
  });
});

describe('buildBoekingen', () => {
  test('one balanced memoriaal per transaction, + debet − credit, deterministic reference, dated per header', () => {
    const [m] = buildBoekingen(run, compactJournal(maart), {}, 1);
    expect(m.reference).toBe('NMBRS-1001-2026-41003');
    expect(m.datum).toBe('2026-03-31');
    expect(m.omschrijving).toBe('Nmbrs loonjournaal 2026-03 run 3 – Salarisrun maart 2026');
    expect(m.regels).toEqual([
      { code: '1640', cents: -646_001 },
      { code: '1660', cents: -1_147_640 },
      { code: '4000', cents: 1_512_345 },
      { code: '4100', cents: 281_296 },
    ]);
    expect(isBalanced(m.regels)).toBe(true);
    expect(totals(m.regels)).toEqual({ debetCents: 1_793_641, creditCents: 1_793_641 });
  });

  test('the mapping overrides dim1; without an override dim1 is the grootboekrekening', () => {
    const [m] = buildBoekingen(run, compactJournal(maart), { '4100': '4150', '9999': '1' }, 1);
    expect(m.regels.map((r) => r.code)).toEqual(['1640', '1660', '4000', '4150']);
    expect(targetCode('4105', { '4105': ' 4000 ' })).toBe('4000');
    expect(targetCode('4105', { '4105': '' })).toBe('4105');
  });

  test('several transactions and later versions get suffixed references', () => {
    const two = compactJournal(journal({ date: '2026-01-31', lines: maart.transactions[0].lines }, { date: '2026-02-28', lines: maart.transactions[0].lines }));
    const v2 = buildBoekingen({ ...run, periodStart: 1, periodEnd: 2 }, two, {}, 2);
    expect(v2.map((m) => m.reference)).toEqual(['NMBRS-1001-2026-41003-T1-V2', 'NMBRS-1001-2026-41003-T2-V2']);
    expect(v2.map((m) => m.datum)).toEqual(['2026-01-31', '2026-02-28']);
    expect(v2[1].omschrijving).toContain('2026-01 t/m 02 run 3, deel 2/2, versie 2');
    expect(referenceFor(run, 1, 0, 1)).toBe('NMBRS-1001-2026-41003');
  });

  test('labels and keys a bookkeeper and the ledger recognise', () => {
    expect(runLabel(run)).toBe('Run 2026-03 (run 3)');
    expect(runLabel({ ...run, periodStart: 1, periodEnd: 2 })).toBe('Run 2026-01 t/m 02 (run 3)');
    expect(runKey(run)).toBe('1001/2026/41003');
  });
});

describe('buildTegenboeking', () => {
  test('is the exact opposite, with its own reference, on the given date', () => {
    const [m] = buildBoekingen(run, compactJournal(maart), {}, 1);
    const tb = buildTegenboeking(m, '2026-04-01');
    expect(tb.reference).toBe('NMBRS-1001-2026-41003-TB');
    expect(tb.datum).toBe('2026-04-01');
    expect(tb.omschrijving.startsWith('Tegenboeking NMBRS-1001-2026-41003: ')).toBe(true);
    expect(tb.regels.map((r) => r.code)).toEqual(m.regels.map((r) => r.code));
    m.regels.forEach((r, i) => expect(tb.regels[i].cents + r.cents).toBe(0));
    expect(isBalanced(tb.regels)).toBe(true);
  });
});

describe('amounts in cents', () => {
  test('euros are made only at the edge, exact to the cent, and the memoriaal sums to zero without drift', () => {
    // Amounts whose euro sums drift in floating point (0.1 + 0.2 !== 0.3).
    const cents = [10, 20, 30, 1, 2, 3, 999_999_99, 123_456_789, 7, 5];
    const debit = cents.reduce((a, b) => a + b, 0);
    const j = journal({ date: '2026-05-31', lines: [...cents.map((c, i) => line(`40${String(i).padStart(2, '0')}`, c, 'D')), line('1660', debit, 'C')] });
    const [m] = buildBoekingen(run, compactJournal(j), {}, 1);
    const input = toMutatieInput(m);
    expect(input.soort).toBe('Memoriaal');
    expect(input.boekstuk).toBe(m.reference);
    expect(input.factuurnummer).toBe(m.reference); // GetMutaties can find it again by this
    let sumCents = 0;
    for (const [i, r] of input.regels.entries()) {
      expect(Math.round(r.bedragInvoer * 100)).toBe(m.regels[i].cents);
      expect(r.bedragInvoer.toFixed(2)).toBe((m.regels[i].cents / 100).toFixed(2));
      expect(r.bedragInclBtw).toBe(r.bedragInvoer);
      expect(r.bedragBtw).toBe(0);
      expect(r.btwCode).toBe('GEEN');
      sumCents += Math.round(r.bedragInvoer * 100);
    }
    expect(sumCents).toBe(0);
  });

  test('formatEuro writes Dutch euros from cents', () => {
    expect(formatEuro(123_456_789)).toBe('€ 1.234.567,89');
    expect(formatEuro(5)).toBe('€ 0,05');
    expect(formatEuro(-100)).toBe('€ -1,00');
    expect(formatEuro(0)).toBe('€ 0,00');
  });
});

describe('missing codes', () => {
  test('lists every code the chart lacks, after the mapping, once and sorted', () => {
    const j = journal({ date: '2026-09-30', lines: [line('4105', 500, 'D'), line('4000', 1000, 'D'), line('4200', 1, 'D'), line('1660', 1501, 'C')] });
    const specs = buildBoekingen(run, compactJournal(j), { '4200': '42000' }, 1);
    const chart = ['1660', '4000', '4100'];
    expect(codesOf(specs)).toEqual(['1660', '4000', '4105', '42000']);
    expect(missingCodes(codesOf(specs), chart)).toEqual(['4105', '42000']);
    expect(missingCodes(codesOf(buildBoekingen(run, compactJournal(j), { '4105': '4000', '4200': '4100' }, 1)), chart)).toEqual([]);
  });
});

describe('differences', () => {
  test('per account: booked, new and the difference, only where it differs', () => {
    const old = buildBoekingen(run, compactJournal(maart), {}, 1);
    const changed = journal({ date: '2026-03-31', lines: [line('4000', 1_600_000, 'D'), line('4100', 281_296, 'D'), line('1640', 646_001, 'C'), line('1660', 1_235_295, 'C')] });
    const next = buildBoekingen(run, compactJournal(changed), {}, 2);
    expect(differences(old, next)).toEqual([
      { code: '1660', bookedCents: -1_147_640, newCents: -1_235_295, diffCents: -87_655 },
      { code: '4000', bookedCents: 1_512_345, newCents: 1_600_000, diffCents: 87_655 },
    ]);
  });
});
