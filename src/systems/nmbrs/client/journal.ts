/**
 * Parses the journal document Nmbrs returns as a string (already unescaped by the SOAP layer):
 * <transactions><transaction><header/><lines><line><dim1/>…</line></lines></transaction></transactions>.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { journalDocument } from './schemas';
import type { NmbrsJournal } from './types';

const parser = new XMLParser({
  ignoreAttributes: true,
  // Keep text as text: GL codes like "0400" must not lose their leading zero.
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'transaction' || name === 'line',
});

export class JournalFormatError extends Error {}

export function parseJournalXml(xml: string): NmbrsJournal {
  if (xml.trim() === '') return { transactions: [] };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new JournalFormatError(`journal XML is not well-formed: ${valid.err.msg}`);
  const parsed = journalDocument.safeParse(parser.parse(xml));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new JournalFormatError(`journal XML has an unexpected shape at ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
