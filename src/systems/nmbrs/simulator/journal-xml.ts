/**
 * The journal document Journals_GetByRunCompany[_v2] returns (as an escaped string inside the
 * Result element). Element names are lower-case as in the Nmbrs XML reference; the guessed details
 * (declaration, empty dimensions, positive values, one transaction per period) are in inferred.ts.
 */
import { JOURNAL_XML, journalTransactions } from './inferred';
import { el } from './soap-xml';
import type { JournalTransaction } from './types';

export function formatCents(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

const other = { debit: 'credit', credit: 'debit' } as const;

export function journalXml(transactions: JournalTransaction[]): string {
  const dim = (v: string | undefined) => v ?? (JOURNAL_XML.emptyDimElements ? '' : undefined);
  const body = journalTransactions(transactions)
    .map((tx) => {
      const lines = tx.lines
        .map((l, i) => {
          const flip = JOURNAL_XML.positiveValues && l.cents < 0;
          const cents = flip ? -l.cents : l.cents;
          const side = flip ? other[l.debitCredit] : l.debitCredit;
          return (
            `<line id="${i}">${el('dim1', l.dim1)}${el('dim2', dim(l.dim2))}${el('dim3', dim(l.dim3))}` +
            `${el('value', formatCents(cents))}${el('debitcredit', side)}${el('description', l.description)}</line>`
          );
        })
        .join('');
      return `<transaction><header>${el('date', tx.date)}${el('period', tx.period)}</header><lines>${lines}</lines></transaction>`;
    })
    .join('');
  const declaration = JOURNAL_XML.xmlDeclaration ? '<?xml version="1.0" encoding="utf-8"?>' : '';
  return `${declaration}<transactions>${body}</transactions>`;
}
