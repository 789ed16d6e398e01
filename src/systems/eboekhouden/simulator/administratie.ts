/**
 * One administration's data and its master-data rules (unique codes, required fields).
 * Bookings live in booking.ts and invoices in invoicing.ts; both work on this store.
 */
import { relatieAddDatum } from './inferred';
import { ebError } from './sim-error';
import {
  RELATIE_STRING_FIELDS,
  type AdministratieInfo,
  type ArtikelRecord,
  type FactuurRecord,
  type FactuursjabloonRecord,
  type GrootboekRecord,
  type KostenplaatsRecord,
  type MutatieRecord,
  type OpenPostRecord,
  type RelatieRecord,
} from './types';

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class Administratie {
  readonly grootboekrekeningen: GrootboekRecord[] = [];
  readonly relaties: RelatieRecord[] = [];
  readonly artikelen: ArtikelRecord[] = [];
  readonly kostenplaatsen: KostenplaatsRecord[] = [];
  readonly factuursjablonen: FactuursjabloonRecord[] = [];
  readonly mutaties: MutatieRecord[] = [];
  readonly facturen: FactuurRecord[] = [];
  readonly openPosten: OpenPostRecord[] = [];
  private ids = { grootboek: 0, relatie: 0, artikel: 0, mutatie: 0, factuur: 0 };

  constructor(readonly info: AdministratieInfo) {}

  nextMutatieNr(): number {
    return ++this.ids.mutatie;
  }

  nextFactuurSeq(): number {
    return ++this.ids.factuur;
  }

  // ---------------------------------------------------------------- grootboekrekeningen

  findGrootboek(code: string): GrootboekRecord | undefined {
    return this.grootboekrekeningen.find((g) => same(g.Code, code));
  }

  /** `anyCategorie` lets demo/control data use system categories (DEB, FIN, …) that SOAP Add refuses. */
  addGrootboek(input: Partial<GrootboekRecord>, anyCategorie = false): GrootboekRecord {
    const code = (input.Code ?? '').trim();
    if (!code || code.length > 10) throw ebError('grootboekInvalid', 'Code is verplicht en mag maximaal 10 tekens bevatten.');
    if (!input.Omschrijving?.trim()) throw ebError('grootboekInvalid', 'Omschrijving is verplicht.');
    const categorie = (input.Categorie ?? '').toUpperCase();
    if (!anyCategorie && !['BAL', 'VW'].includes(categorie)) throw ebError('grootboekInvalid', 'Categorie moet BAL of VW zijn.');
    if (this.findGrootboek(code)) throw ebError('grootboekCodeExists', `Grootboekrekening met code ${code} bestaat al.`);
    const rec: GrootboekRecord = { ID: ++this.ids.grootboek, Code: code, Omschrijving: input.Omschrijving.trim(), Categorie: categorie, Groep: input.Groep ?? '' };
    this.grootboekrekeningen.push(rec);
    return rec;
  }

  updateGrootboek(input: Partial<GrootboekRecord>): void {
    const rec = (input.ID ? this.grootboekrekeningen.find((g) => g.ID === input.ID) : undefined) ?? this.findGrootboek(input.Code ?? '');
    if (!rec) throw ebError('grootboekInvalid', `Grootboekrekening ${input.Code ?? input.ID} niet gevonden.`);
    const other = input.Code ? this.findGrootboek(input.Code) : undefined;
    if (other && other !== rec) throw ebError('grootboekCodeExists', `Grootboekrekening met code ${input.Code} bestaat al.`);
    if (input.Categorie && !['BAL', 'VW'].includes(input.Categorie.toUpperCase())) throw ebError('grootboekInvalid', 'Categorie moet BAL of VW zijn.');
    Object.assign(rec, {
      Code: input.Code?.trim() || rec.Code,
      Omschrijving: input.Omschrijving?.trim() || rec.Omschrijving,
      Categorie: input.Categorie?.toUpperCase() || rec.Categorie,
      Groep: input.Groep ?? rec.Groep,
    });
  }

  /** First ledger of a category, e.g. DEB for the debtors account invoices are booked on. */
  ledgerOfCategorie(categorie: string): GrootboekRecord | undefined {
    return this.grootboekrekeningen.find((g) => g.Categorie === categorie);
  }

  // ---------------------------------------------------------------- relaties

  findRelatie(code: string): RelatieRecord | undefined {
    return code ? this.relaties.find((r) => same(r.Code, code)) : undefined;
  }

  private checkRelatie(r: Partial<RelatieRecord>): void {
    const code = (r.Code ?? '').trim();
    if (!code) throw ebError('relatieInvalid', 'Relatiecode is verplicht.');
    if (code.length > 15) throw ebError('relatieInvalid', 'Relatiecode mag maximaal 15 tekens bevatten.');
    if (!r.Bedrijf?.trim()) throw ebError('relatieInvalid', 'Bedrijf (of naam bij een particulier) is verplicht.');
    if (!['B', 'P'].includes((r.BP ?? '').toUpperCase())) throw ebError('relatieInvalid', 'BP moet B (bedrijf) of P (particulier) zijn.');
  }

  addRelatie(input: Partial<RelatieRecord>, today: string): RelatieRecord {
    this.checkRelatie(input);
    if (this.findRelatie(input.Code as string)) throw ebError('relatieCodeExists', `Relatiecode ${input.Code} bestaat al.`);
    const rec = { ID: ++this.ids.relatie, AddDatum: today, Gb_ID: 0, GeenEmail: 0, NieuwsbriefgroepenCount: 0 } as RelatieRecord;
    for (const f of RELATIE_STRING_FIELDS) rec[f] = String(input[f] ?? '').trim();
    rec.BP = rec.BP.toUpperCase();
    rec.LA = rec.LA || '0';
    rec.AddDatum = relatieAddDatum(input.AddDatum, today);
    rec.Gb_ID = input.Gb_ID ?? 0;
    rec.GeenEmail = input.GeenEmail ?? 0;
    this.relaties.push(rec);
    return rec;
  }

  /** Identifies the relatie by ID when given, else by Code (contract A6). */
  updateRelatie(input: Partial<RelatieRecord>): RelatieRecord {
    const rec = input.ID ? this.relaties.find((r) => r.ID === input.ID) : this.findRelatie(input.Code ?? '');
    if (!rec) throw ebError('relatieNotFound', `Relatie ${input.Code || input.ID} niet gevonden.`);
    this.checkRelatie(input);
    const other = this.findRelatie(input.Code as string);
    if (other && other !== rec) throw ebError('relatieCodeExists', `Relatiecode ${input.Code} bestaat al.`);
    for (const f of RELATIE_STRING_FIELDS) if (input[f] !== undefined) rec[f] = String(input[f]).trim();
    rec.BP = rec.BP.toUpperCase();
    if (input.Gb_ID !== undefined) rec.Gb_ID = input.Gb_ID;
    if (input.GeenEmail !== undefined) rec.GeenEmail = input.GeenEmail;
    return rec;
  }

  // ---------------------------------------------------------------- artikelen, kostenplaatsen, sjablonen

  addArtikel(input: Omit<ArtikelRecord, 'ArtikelID'> & { ArtikelID?: number }): ArtikelRecord {
    if (!input.ArtikelCode?.trim()) throw ebError('factuurInvalid', 'Artikelcode is verplicht.');
    if (this.artikelen.some((a) => same(a.ArtikelCode, input.ArtikelCode))) throw ebError('factuurInvalid', `Artikelcode ${input.ArtikelCode} bestaat al.`);
    const rec: ArtikelRecord = { ...input, ArtikelID: ++this.ids.artikel };
    this.artikelen.push(rec);
    return rec;
  }

  addKostenplaats(rec: KostenplaatsRecord): void {
    this.kostenplaatsen.push(rec);
  }

  findSjabloon(naam: string): FactuursjabloonRecord | undefined {
    return this.factuursjablonen.find((s) => same(s.Naam, naam));
  }

  addSjabloon(naam: string): FactuursjabloonRecord {
    const existing = this.findSjabloon(naam);
    if (existing) return existing;
    const rec = { Naam: naam.trim() };
    this.factuursjablonen.push(rec);
    return rec;
  }

  // ---------------------------------------------------------------- open posten

  openstaand(p: OpenPostRecord): number {
    return Math.round((p.Bedrag - p.Voldaan) * 100) / 100;
  }
}
