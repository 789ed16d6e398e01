/**
 * e-Boekhouden → WerkbonApp master data, pure: which products are hour types and which are
 * materials, how a relatie becomes a WerkbonApp relation, and which records changed since the
 * last successful upsert (content hash per record).
 *
 * Manual (seed 003, 2.2/2.3): an hour type is a product with unit "Uur" and status Actief; every
 * other active product is a material with its own unit.
 */
import type { Artikel, HourTypeInput, MaterialInput, Relatie, RelationInput } from './types';
import { contentHash } from '../../../domain/hash';
import { splitAddress } from './invoice';

export type ImportKind = 'relaties' | 'materialen' | 'uursoorten';

/** One record to upsert in WerkbonApp, keyed by its natural key, with the hash of what is sent. */
export interface ImportRecord<T> {
  key: string;
  hash: string;
  data: T;
}

/** A source record that cannot go to WerkbonApp as it is, and why (Dutch). */
export interface ImportSkip {
  kind: ImportKind;
  key: string;
  reden: string;
  hash: string;
}

const HOUR_UNIT = 'uur';

export function isHourUnit(eenheid: string): boolean {
  return eenheid.trim().toLowerCase() === HOUR_UNIT;
}

export interface ArticleSelection {
  uursoorten: ImportRecord<HourTypeInput>[];
  materialen: ImportRecord<MaterialInput>[];
  /** Inactive products that were never imported: ignored. */
  inactief: number;
  skipped: ImportSkip[];
}

function record<T>(key: string, data: T): ImportRecord<T> {
  return { key, data, hash: contentHash(data) };
}

/**
 * Splits e-Boekhouden products into hour types and materials. An inactive product is neither,
 * except an hour type WerkbonApp got from us before: it is sent once more as inactive, so
 * employees can no longer pick it (WerkbonApp materials have no such flag).
 */
export function selectArticleImports(artikelen: Artikel[], previouslyImportedHourTypes: ReadonlySet<string> = new Set()): ArticleSelection {
  const out: ArticleSelection = { uursoorten: [], materialen: [], inactief: 0, skipped: [] };
  const seen = new Set<string>();
  for (const a of artikelen) {
    const code = a.code.trim();
    const hour = isHourUnit(a.eenheid);
    const kind: ImportKind = hour ? 'uursoorten' : 'materialen';
    if (!code) continue;
    // Codes are the natural key on both sides; a duplicate would make the upsert ambiguous.
    const dupKey = `${kind}|${code.toUpperCase()}`;
    if (seen.has(dupKey)) continue;
    seen.add(dupKey);
    if (!a.actief && !(hour && previouslyImportedHourTypes.has(code))) {
      out.inactief++;
      continue;
    }
    const name = a.omschrijving.trim();
    if (!name) {
      out.skipped.push(skip(kind, code, `Product ${code} heeft geen omschrijving in e-Boekhouden.nl.`));
      continue;
    }
    if (!Number.isFinite(a.verkoopprijsExclBtw) || a.verkoopprijsExclBtw < 0) {
      out.skipped.push(skip(kind, code, `Product ${code} heeft geen geldige verkoopprijs in e-Boekhouden.nl.`));
      continue;
    }
    if (hour) {
      out.uursoorten.push(
        record(code, {
          code,
          name,
          costBooking: false,
          saleBooking: true,
          salePrice: a.verkoopprijsExclBtw,
          costPrice: a.inkoopprijsExclBtw > 0 ? a.inkoopprijsExclBtw : null,
          active: a.actief,
        }),
      );
    } else {
      const unit = a.eenheid.trim();
      if (!unit) {
        out.skipped.push(skip(kind, code, `Product ${code} heeft geen eenheid in e-Boekhouden.nl (Factureren > Producten/diensten > Eenheden).`));
        continue;
      }
      out.materialen.push(record(code, { code, description: name, price: a.verkoopprijsExclBtw, unit }));
    }
  }
  return out;
}

function skip(kind: ImportKind, key: string, reden: string): ImportSkip {
  return { kind, key, reden, hash: contentHash({ skip: reden }) };
}

export interface RelationSelection {
  relaties: ImportRecord<RelationInput>[];
  skipped: ImportSkip[];
}

/**
 * e-Boekhouden relaties → WerkbonApp relations (debtor number = relatiecode). WerkbonApp requires
 * name, street, postal code and city; a relatie without them is skipped with the reason.
 */
export function selectRelationImports(relaties: Relatie[]): RelationSelection {
  const out: RelationSelection = { relaties: [], skipped: [] };
  const seen = new Set<string>();
  for (const r of relaties) {
    const code = r.code.trim();
    if (!code || seen.has(code.toUpperCase())) continue;
    seen.add(code.toUpperCase());
    const { street, houseNumber } = splitAddress(r.adres);
    const missing = [
      ['naam', r.bedrijf],
      ['adres', street],
      ['postcode', r.postcode],
      ['plaats', r.plaats],
    ]
      .filter(([, v]) => !v?.trim())
      .map(([label]) => label);
    if (missing.length) {
      out.skipped.push(skip('relaties', code, `Relatie ${code} mist ${missing.join(', ')} in e-Boekhouden.nl; WerkbonApp vereist naam, adres, postcode en plaats.`));
      continue;
    }
    out.relaties.push(
      record(code, {
        debtorNumber: code,
        name: r.bedrijf.trim(),
        contact: r.contactpersoon.trim(),
        phoneNumber: (r.telefoon || r.gsm).trim(),
        email: r.email.trim(),
        street,
        houseNumber,
        postalCode: r.postcode.trim(),
        city: r.plaats.trim(),
      }),
    );
  }
  return out;
}

/**
 * Change detection: the records whose hash differs from the one recorded at the last successful
 * upsert (or that were never sent). Unchanged records are not sent again.
 */
export function changedRecords<T extends { key: string; hash: string }>(records: T[], known: ReadonlyMap<string, string>): T[] {
  return records.filter((r) => known.get(r.key) !== r.hash);
}

/**
 * Records WerkbonApp accepted from us earlier but no longer has (deleted there, or its data was
 * reset). Forgetting their hashes makes the next import send them again; without this an hour type
 * deleted in WerkbonApp would stay missing for good, since its e-Boekhouden product never changes.
 * Codes compare case-insensitively, as both systems treat them.
 */
export function lostRecords(rememberedKeys: Iterable<string>, presentCodes: Iterable<string>): string[] {
  const present = new Set([...presentCodes].map((c) => c.trim().toUpperCase()));
  return [...rememberedKeys].filter((k) => !present.has(k.trim().toUpperCase())).sort();
}

/** The seed's log line: "4 relations synchronized 1 materials synchronized" (WerkbonApp's own wording). */
export function importLogLine(counts: Partial<Record<ImportKind, number>>): string {
  const parts: string[] = [];
  if (counts.relaties !== undefined) parts.push(`${counts.relaties} relations synchronized`);
  if (counts.materialen !== undefined) parts.push(`${counts.materialen} materials synchronized`);
  if (counts.uursoorten !== undefined) parts.push(`${counts.uursoorten} hourtypes synchronized`);
  return parts.join(' ');
}
