/**
 * AddFactuur / GetFacturen. Per the WerkbonApp manual (seed 003): the invoice must name an
 * existing template; with InBoekhoudingPlaatsen it is booked at once (a FactuurVerstuurd mutation on
 * the debtors ledger plus an open post), otherwise it is only prepared ("klaargezet").
 */
import { btwPercentage, isBtwCode, round2 } from './btw';
import type { Administratie } from './administratie';
import { addMutatie, assertLedgersExist, assertOpenPeriod, isInvoiceNumberUsed } from './booking';
import { autoFactuurnummer, BOOKING_DATE_REQUIRED_TEXT, dateBound, DEFAULT_BTW_CODE, isUnsetDate } from './inferred';
import { ebError } from './sim-error';
import type { FactuurRecord, FactuurRegelRecord } from './types';

export interface FactuurInput {
  Factuurnummer?: string;
  Relatiecode?: string;
  Datum?: string;
  Betalingstermijn?: number;
  Factuursjabloon?: string;
  PerEmailVerzenden?: boolean;
  InBoekhoudingPlaatsen?: boolean;
  BoekhoudmutatieOmschrijving?: string;
  Regels?: Array<Partial<FactuurRegelRecord> | null>;
}

function lineAmounts(r: FactuurRegelRecord, datum: string) {
  const excl = round2(r.Aantal * r.PrijsPerEenheid);
  const pct = btwPercentage(r.BTWCode, datum);
  const btw = round2((excl * pct) / 100);
  return { excl, pct, btw, incl: round2(excl + btw) };
}

/** Empty Factuurnummer → the next free number in the guessed format (autoFactuurnummer, inferred.ts). */
function autoNumber(adm: Administratie, datum: string): string {
  for (;;) {
    const nr = autoFactuurnummer(datum, adm.nextFactuurSeq());
    if (!isInvoiceNumberUsed(adm, nr)) return nr;
  }
}

export function addFactuur(adm: Administratie, input: FactuurInput | undefined | null): string {
  if (!input) throw ebError('factuurInvalid', 'Geen factuur opgegeven.');
  const relatie = adm.findRelatie((input.Relatiecode ?? '').trim());
  if (!relatie) throw ebError('relatieUnknown', `Relatie met code ${input.Relatiecode ?? ''} bestaat niet.`);
  const sjabloonNaam = (input.Factuursjabloon ?? '').trim();
  const sjabloon = adm.findSjabloon(sjabloonNaam);
  if (!sjabloon) throw ebError('factuursjabloonUnknown', `Factuursjabloon '${sjabloonNaam}' bestaat niet.`);
  if (isUnsetDate(input.Datum)) throw ebError('factuurInvalid', BOOKING_DATE_REQUIRED_TEXT);
  const datum = input.Datum as string;
  const termijn = input.Betalingstermijn ?? 0;
  if (termijn < 0) throw ebError('factuurInvalid', 'Betalingstermijn mag niet negatief zijn.');
  const regels: FactuurRegelRecord[] = (input.Regels ?? [])
    .filter((r): r is Partial<FactuurRegelRecord> => !!r)
    .map((r) => ({
      Aantal: r.Aantal ?? 0,
      Eenheid: r.Eenheid ?? '',
      Code: r.Code ?? '',
      Omschrijving: r.Omschrijving ?? '',
      PrijsPerEenheid: r.PrijsPerEenheid ?? 0,
      BTWCode: (r.BTWCode ?? '').trim() || DEFAULT_BTW_CODE,
      TegenrekeningCode: (r.TegenrekeningCode ?? '').trim(),
      KostenplaatsID: r.KostenplaatsID ?? 0,
    }));
  if (regels.length === 0) throw ebError('factuurInvalid', 'Een factuur moet minimaal één regel bevatten.');
  regels.forEach((r, i) => {
    if (!r.TegenrekeningCode) throw ebError('factuurInvalid', `Regel ${i + 1}: TegenrekeningCode is verplicht.`);
    if (!isBtwCode(r.BTWCode)) throw ebError('btwCodeInvalid', `Regel ${i + 1}: BTW-code ${r.BTWCode} is ongeldig.`);
  });
  assertLedgersExist(adm, regels.map((r) => r.TegenrekeningCode));
  const gevraagd = (input.Factuurnummer ?? '').trim();
  if (gevraagd && isInvoiceNumberUsed(adm, gevraagd)) throw ebError('factuurnummerExists', `Factuurnummer ${gevraagd} is al in gebruik.`);
  if (gevraagd.length > 50) throw ebError('factuurInvalid', 'Factuurnummer mag maximaal 50 tekens bevatten.');
  const boeken = input.InBoekhoudingPlaatsen === true;
  const debiteuren = adm.ledgerOfCategorie('DEB');
  if (boeken) {
    assertOpenPeriod(adm, datum);
    if (!debiteuren) throw ebError('factuurInvalid', 'Er is geen debiteurenrekening (categorie DEB) in deze administratie.');
  }

  const amounts = regels.map((r) => lineAmounts(r, datum));
  const factuurnummer = gevraagd || autoNumber(adm, datum);
  const rec: FactuurRecord = {
    Factuurnummer: factuurnummer,
    Relatiecode: relatie.Code,
    Datum: datum,
    Betalingstermijn: termijn,
    Factuursjabloon: sjabloon.Naam,
    PerEmailVerzenden: input.PerEmailVerzenden === true,
    InBoekhoudingPlaatsen: boeken,
    BoekhoudmutatieOmschrijving: input.BoekhoudmutatieOmschrijving ?? '',
    Regels: regels,
    TotaalExclBTW: round2(amounts.reduce((a, x) => a + x.excl, 0)),
    TotaalBTW: round2(amounts.reduce((a, x) => a + x.btw, 0)),
    TotaalInclBTW: round2(amounts.reduce((a, x) => a + x.incl, 0)),
    URLPDFBestand: '',
  };
  if (boeken && debiteuren) {
    rec.Mutatienummer = addMutatie(
      adm,
      {
        Soort: 'FactuurVerstuurd',
        Datum: datum,
        Rekening: debiteuren.Code,
        RelatieCode: relatie.Code,
        Factuurnummer: factuurnummer,
        Omschrijving: rec.BoekhoudmutatieOmschrijving || `Factuur ${factuurnummer}`,
        Betalingstermijn: String(termijn),
        InExBTW: 'EX',
        MutatieRegels: regels.map((r, i) => ({
          BedragInvoer: amounts[i].excl,
          BedragExclBTW: amounts[i].excl,
          BedragBTW: amounts[i].btw,
          BedragInclBTW: amounts[i].incl,
          BTWCode: r.BTWCode,
          BTWPercentage: amounts[i].pct,
          TegenrekeningCode: r.TegenrekeningCode,
          KostenplaatsID: r.KostenplaatsID,
        })),
      },
      { fromFactuur: true },
    );
  }
  adm.facturen.push(rec);
  return factuurnummer;
}

export interface FactuurFilter {
  Factuurnummer?: string;
  Relatiecode?: string;
  DatumVan?: string;
  DatumTm?: string;
}

export function selectFacturen(adm: Administratie, f: FactuurFilter): FactuurRecord[] {
  const nr = (f.Factuurnummer ?? '').trim().toLowerCase();
  const rel = (f.Relatiecode ?? '').trim().toLowerCase();
  const van = dateBound(f.DatumVan);
  const tm = dateBound(f.DatumTm);
  return adm.facturen.filter(
    (x) =>
      (!nr || x.Factuurnummer.toLowerCase() === nr) &&
      (!rel || x.Relatiecode.toLowerCase() === rel) &&
      (!van || x.Datum >= van) &&
      (!tm || x.Datum <= tm),
  );
}

/** Unpaid amount: from the open post once booked; a prepared invoice is wholly unpaid. */
export function totaalOpenstaand(adm: Administratie, f: FactuurRecord): number {
  const post = adm.openPosten.find((p) => p.Soort === 'Debiteuren' && p.MutatieNr === f.Mutatienummer);
  return post ? adm.openstaand(post) : f.TotaalInclBTW;
}
