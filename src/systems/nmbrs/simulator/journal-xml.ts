/**
 * The journal document Journals_GetByRunCompany[_v2] returns (as an escaped string inside the
 * Result element). Element names are lower-case as in the Nmbrs XML reference.
 * INFERRED (contract §8.2/8.3): no XML declaration, one <transaction> per period, positive values
 * with 2 decimals, empty <dim2/>/<dim3/> when unused, date YYYYMMDD.
 */
import { el } from './soap-xml';
import type { JournalTransaction } from './types';

export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function journalXml(transactions: JournalTransaction[]): string {
  const body = transactions
    .map((tx) => {
      const lines = tx.lines
        .map(
          (l, i) =>
            `<line id="${i}">${el('dim1', l.dim1)}${el('dim2', l.dim2 ?? '')}${el('dim3', l.dim3 ?? '')}` +
            `${el('value', formatCents(l.cents))}${el('debitcredit', l.debitCredit)}${el('description', l.description)}</line>`,
        )
        .join('');
      return `<transaction><header>${el('date', tx.date)}${el('period', tx.period)}</header><lines>${lines}</lines></transaction>`;
    })
    .join('');
  return `<transactions>${body}</transactions>`;
}
