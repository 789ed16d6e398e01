/**
 * One handler per SOAP operation: decoded request in (element names), result contents out.
 * Business errors are thrown as EbError and answered in-band by the dispatcher.
 */
import type { Administratie } from './administratie';
import { addMutatie, saldo, selectMutaties, type MutatieFilter, type MutatieInput } from './booking';
import { addFactuur, selectFacturen, totaalOpenstaand, type FactuurFilter, type FactuurInput } from './invoicing';
import { filterOrAll } from './inferred';
import { ebError } from './sim-error';
import type { EboekhoudenState } from './state';
import type { GrootboekRecord, OpenPostSoort, RelatieRecord } from './types';

type Req = Record<string, any>;
export type Handler = (req: Req, state: EboekhoudenState) => Record<string, unknown> | undefined;

const has = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const like = (value: string, needle: string) => value.toLowerCase().includes(needle.trim().toLowerCase());
const session = (req: Req, state: EboekhoudenState): Administratie => state.useSession(req.SessionID, req.SecurityCode2);

function relatieMatches(r: RelatieRecord, f: Req): boolean {
  if (f.ID && r.ID !== f.ID) return false;
  if (has(f.Code) && r.Code.toLowerCase() !== f.Code.trim().toLowerCase()) return false;
  // Trefwoord searches code, company, city, contact, e-mail and type (contract A6).
  if (has(f.Trefwoord) && ![r.Code, r.Bedrijf, r.Plaats, r.Contactpersoon, r.Email, r.BP].some((v) => like(v, f.Trefwoord))) return false;
  return true;
}

function grootboekMatches(g: GrootboekRecord, f: Req): boolean {
  return (!f.ID || g.ID === f.ID) && (!has(f.Code) || g.Code === f.Code.trim()) && (!has(f.Categorie) || g.Categorie === f.Categorie.trim().toUpperCase());
}

export const HANDLERS: Record<string, Handler> = {
  OpenSession: (req, state) => ({ SessionID: state.openSession(req.Username, req.SecurityCode1, req.SecurityCode2) }),
  OpenSessionSub: (req, state) => ({ SessionID: state.openSession(req.Username, req.SecurityCode1, req.SecurityCode2, req.AdministratieGUID) }),
  CloseSession: (req, state) => {
    state.closeSession(req.SessionID);
    return undefined;
  },
  AutoLogin: (req, state) => {
    session(req, state);
    return { Token: `${req.SessionID}-login` };
  },
  GetAdministraties: (req, state) => {
    const current = session(req, state);
    const list = (state.userOfSession(req.SessionID)?.Administraties ?? [current.info.Guid]).map((g) => state.administratie(g).info);
    return { Administraties: list.map(({ Bedrijf, Plaats, Guid, StartBoekjaar }) => ({ Bedrijf, Plaats, Guid, StartBoekjaar })) };
  },

  GetGrootboekrekeningen: (req, state) => ({ Rekeningen: session(req, state).grootboekrekeningen.filter((g) => grootboekMatches(g, filterOrAll<Req>(req.cFilter))) }),
  AddGrootboekrekening: (req, state) => ({ Gb_ID: session(req, state).addGrootboek(req.oGb ?? {}).ID }),
  UpdateGrootboekrekening: (req, state) => {
    session(req, state).updateGrootboek(req.oGb ?? {});
    return {};
  },

  AddMutatie: (req, state) => ({ Mutatienummer: addMutatie(session(req, state), req.oMut as MutatieInput) }),
  GetMutaties: (req, state) => {
    const adm = session(req, state);
    state.countMonthlyGetMutaties(adm);
    return { Mutaties: selectMutaties(adm, (filterOrAll<Req>(req.cFilter)) as MutatieFilter) };
  },

  GetRelaties: (req, state) => ({ Relaties: session(req, state).relaties.filter((r) => relatieMatches(r, filterOrAll<Req>(req.cFilter))) }),
  AddRelatie: (req, state) => {
    const adm = session(req, state);
    return { Rel_ID: adm.addRelatie(req.oRel ?? {}, state.today()).ID };
  },
  UpdateRelatie: (req, state) => {
    session(req, state).updateRelatie(req.oRel ?? {});
    return {};
  },

  GetArtikelen: (req, state) => {
    const f: Req = filterOrAll<Req>(req.cFilter);
    const list = session(req, state).artikelen.filter(
      (a) =>
        (!f.ArtikelID || a.ArtikelID === f.ArtikelID) &&
        (!has(f.ArtikelCode) || a.ArtikelCode.toLowerCase() === f.ArtikelCode.trim().toLowerCase()) &&
        (!has(f.ArtikelOmschrijving) || like(a.ArtikelOmschrijving, f.ArtikelOmschrijving)) &&
        (!has(f.GroepCode) || a.GroepCode.toLowerCase() === f.GroepCode.trim().toLowerCase()) &&
        (!has(f.GroepOmschrijving) || like(a.GroepOmschrijving, f.GroepOmschrijving)),
    );
    return { Artikelen: list };
  },
  GetKostenplaatsen: (req, state) => {
    const f: Req = filterOrAll<Req>(req.cFilter);
    const list = session(req, state).kostenplaatsen.filter(
      (k) =>
        (!f.KostenplaatsID || k.KostenplaatsId === f.KostenplaatsID) &&
        (f.KostenplaatsParentID === undefined || f.KostenplaatsParentID === null || k.KostenplaatsParentId === f.KostenplaatsParentID) &&
        (!has(f.Omschrijving) || like(k.Omschrijving, f.Omschrijving)),
    );
    return { Kostenplaatsen: list };
  },

  AddFactuur: (req, state) => ({ Factuurnummer: addFactuur(session(req, state), req.oFact as FactuurInput) }),
  GetFacturen: (req, state) => {
    const adm = session(req, state);
    const list = selectFacturen(adm, (filterOrAll<Req>(req.cFilter)) as FactuurFilter).map((f) => ({ ...f, TotaalOpenstaand: totaalOpenstaand(adm, f) }));
    return { Facturen: list };
  },
  GetOpenPosten: (req, state) => {
    const adm = session(req, state);
    const soort = req.OpSoort as OpenPostSoort;
    const list = adm.openPosten
      .filter((p) => p.Soort === soort && adm.openstaand(p) !== 0)
      .map((p) => ({ ...p, RelBedrijf: adm.findRelatie(p.RelCode)?.Bedrijf ?? '', Openstaand: adm.openstaand(p) }));
    return { Openposten: list };
  },

  GetSaldo: (req, state) => {
    const adm = session(req, state);
    const f: Req = filterOrAll<Req>(req.cFilter);
    if (!has(f.GbCode)) throw ebError('ledgerUnknown', 'GbCode is verplicht.');
    if (!adm.findGrootboek(f.GbCode)) throw ebError('ledgerUnknown', `Grootboekrekening ${f.GbCode} bestaat niet in deze administratie.`);
    return { Saldo: saldo(adm, f.GbCode.trim(), f.KostenPlaatsId ?? 0, f.DatumVan, f.DatumTot) };
  },
  GetSaldi: (req, state) => {
    const adm = session(req, state);
    const f: Req = filterOrAll<Req>(req.cFilter);
    const rekeningen = adm.grootboekrekeningen.filter((g) => !has(f.Categorie) || g.Categorie === f.Categorie.trim().toUpperCase());
    return {
      Saldi: rekeningen.map((g) => ({ ID: g.ID, Code: g.Code, Categorie: g.Categorie, Saldo: saldo(adm, g.Code, f.KostenPlaatsId ?? 0, f.DatumVan, f.DatumTot) })),
    };
  },
};
