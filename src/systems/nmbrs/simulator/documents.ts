/**
 * The documents the simulator's CompanyService hands out: payslip and annual-document PDFs (real,
 * valid PDF files), the SEPA salary payment file (pain.001.001.03 with CtgyPurp SALA) and the
 * loonaangifte XML. Contents follow the run and its recalculations, so a recalculated run yields
 * different bytes; anything the sources leave open is in inferred.ts.
 */
import { escapeXml } from '../../simulator-support/xml';
import { renderPdf } from '../../simulator-support/pdf';
import { annualDocumentLabel } from '../annual-documents';
import { endToEndId, LOONAANGIFTE_NS, sepaCreationTime, SEPA_DEBTOR } from './inferred';
import type { Company, Employee, Run, WageTaxDeclaration } from './types';

const euro = (cents: number) => (cents / 100).toFixed(2);
const periodsOf = (run: Run) => run.periodEnd - run.periodStart + 1;

/** Net pay of an employee in a run: per period, moved by each recalculation ("herberekenen"). */
export function netPay(run: Run, e: Employee): number {
  return Math.round(e.netCents * periodsOf(run) * 1.015 ** run.recalculations);
}

function periodText(run: Run): string {
  return run.periodStart === run.periodEnd ? `periode ${run.periodStart}` : `periodes ${run.periodStart}-${run.periodEnd}`;
}

export function payslipsPdf(company: Company, run: Run, employees: Employee[]): Buffer {
  const pages = employees.map((e) => {
    const net = netPay(run, e);
    const gross = Math.round(net / 0.72);
    return [
      `Loonstrook ${company.name}`,
      `${periodText(run)} ${run.year}, run ${run.number}${run.recalculations ? ` (herberekend ${run.recalculations}x)` : ''}`,
      `Werknemer ${e.number}: ${e.displayName}`,
      `Bruto loon: EUR ${euro(gross)}`,
      `Loonheffing: EUR ${euro(gross - net)}`,
      `Netto uit te betalen: EUR ${euro(net)}`,
      `IBAN: ${e.iban}`,
    ];
  });
  return renderPdf(`Loonstroken ${company.name} ${run.year} run ${run.number}`, pages.length ? pages : [[`Loonstroken ${company.name}: geen werknemers in deze run`]]);
}

export function annualDocumentPdf(kind: string, company: Company, year: number, run: Run | undefined, employees: Employee[]): Buffer {
  const lines = [
    `${annualDocumentLabel(kind)} ${year}`,
    `${company.name} (bedrijf ${company.number})`,
    run ? `Tot en met run ${run.number} (${periodText(run)})` : 'Geen run',
    ...employees.map((e) => `${e.number} ${e.displayName}`),
  ];
  return renderPdf(`${annualDocumentLabel(kind)} ${company.name} ${year}`, [lines]);
}

/** pain.001.001.03: one payment (CtgyPurp SALA), one transaction per employee, CtrlSum = the sum. */
export function sepaXml(company: Company, run: Run, employees: Employee[], executionDate: string): string {
  const txs = employees.map((e) => ({ e, cents: netPay(run, e), id: endToEndId(run, e) }));
  const total = euro(txs.reduce((s, t) => s + t.cents, 0));
  const x = escapeXml;
  const msgId = `NMBRS-${company.id}-${run.id}-${run.recalculations}`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    '<CstmrCdtTrfInitn>\n' +
    `<GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>${sepaCreationTime()}</CreDtTm><NbOfTxs>${txs.length}</NbOfTxs><CtrlSum>${total}</CtrlSum><InitgPty><Nm>${x(company.name)}</Nm></InitgPty></GrpHdr>\n` +
    `<PmtInf><PmtInfId>${msgId}-1</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg><NbOfTxs>${txs.length}</NbOfTxs><CtrlSum>${total}</CtrlSum>` +
    '<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl><CtgyPurp><Cd>SALA</Cd></CtgyPurp></PmtTpInf>' +
    `<ReqdExctnDt>${executionDate}</ReqdExctnDt><Dbtr><Nm>${x(company.name)}</Nm></Dbtr>` +
    `<DbtrAcct><Id><IBAN>${SEPA_DEBTOR.iban(company.id)}</IBAN></Id></DbtrAcct><DbtrAgt><FinInstnId><BIC>${SEPA_DEBTOR.bic}</BIC></FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>\n` +
    txs
      .map(
        (t) =>
          `<CdtTrfTxInf><PmtId><EndToEndId>${t.id}</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">${euro(t.cents)}</InstdAmt></Amt>` +
          `<Cdtr><Nm>${x(t.e.displayName)}</Nm></Cdtr><CdtrAcct><Id><IBAN>${t.e.iban}</IBAN></Id></CdtrAcct>` +
          `<RmtInf><Ustrd>Salaris ${x(periodText(run))} ${run.year}</Ustrd></RmtInf></CdtTrfTxInf>\n`,
      )
      .join('') +
    '</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n'
  );
}

/** The loonaangifte message: identification, collective totals and one nominative line per employee. */
export function wageTaxXml(company: Company, w: WageTaxDeclaration, employees: Employee[]): string {
  const x = escapeXml;
  const lnLb = employees.reduce((s, e) => s + Math.round(e.netCents / 0.72 / 100), 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Loonaangifte xmlns="${LOONAANGIFTE_NS}" version="${w.year}v1.0">\n` +
    `<AdmIk><LhNr>${String(company.id).padStart(9, '0')}L01</LhNr><NmIP>${x(company.name)}</NmIP>` +
    `<TijdvakAangifte><DatAanvTv>${w.tijdvakStart.slice(0, 10)}</DatAanvTv><DatEindTv>${w.tijdvakEnd.slice(0, 10)}</DatEindTv></TijdvakAangifte></AdmIk>\n` +
    `<CollectieveAangifte><TotLnLbPh>${lnLb}</TotLnLbPh><TotLnSV>${lnLb}</TotLnSV><TotGen>${w.totalGeneral}</TotGen><Volgnummer>${w.serialNumber}</Volgnummer><Versie>${w.version}</Versie></CollectieveAangifte>\n` +
    employees.map((e) => `<NominatieveAangifte><NumIV>${e.number}</NumIV><Nm>${x(e.displayName)}</Nm><LnLbPh>${Math.round(e.netCents / 0.72 / 100)}</LnLbPh></NominatieveAangifte>\n`).join('') +
    '</Loonaangifte>\n'
  );
}
