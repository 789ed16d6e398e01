/**
 * JSON control API for tests and the demo, under /_control (loopback callers only). Records use
 * the WSDL's element names, like the SOAP side. Administration-scoped routes take
 * `?administratie=<guid>` or `?username=<user>`; without either they act on the first one.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Administratie } from './administratie';
import { addMutatie, type MutatieInput } from './booking';
import { loadDemo, loadEmpty } from './demo';
import { EbError } from './sim-error';
import { guidFrom, type EboekhoudenState } from './state';
import { MUTATIE_SOORTEN } from './types';
import { loopbackOnly } from '../../simulator-support/loopback';

export { loopbackOnly };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const oneOrMany = <T extends z.ZodTypeAny>(s: T) => z.union([s, z.array(s)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

const schemas = {
  reset: z.object({ demo: z.boolean().default(true) }).strict(),
  user: z.object({ username: z.string().min(1), securityCode1: z.string().min(1), securityCode2: z.string().min(1), administratieGuids: z.array(z.string()).optional() }).strict(),
  administratie: z.object({ Guid: z.string().optional(), Bedrijf: z.string().min(1), Plaats: z.string().default(''), StartBoekjaar: z.string().default('2020'), seed: z.enum(['demo', 'empty']).default('demo') }).strict(),
  closedPeriod: z.object({ afgeslotenTm: isoDate.nullable() }).strict(),
  idle: z.object({ idleMs: z.number().int().min(0) }).strict(),
  grootboek: oneOrMany(z.object({ Code: z.string().min(1), Omschrijving: z.string().min(1), Categorie: z.string().min(1), Groep: z.string().optional() }).strict()),
  artikel: oneOrMany(
    z.object({
      ArtikelCode: z.string().min(1), ArtikelOmschrijving: z.string().min(1), Eenheid: z.string().default(''),
      GroepCode: z.string().default(''), GroepOmschrijving: z.string().default(''),
      InkoopprijsExclBTW: z.number().default(0), VerkoopprijsExclBTW: z.number(), VerkoopprijsInclBTW: z.number().optional(),
      BTWCode: z.string().default('HOOG_VERK_21'), BtwPercentage: z.number().default(21), TegenrekeningCode: z.string().default('8000'),
      KostenplaatsID: z.number().int().default(0), Actief: z.boolean().default(true),
    }).strict(),
  ),
  relatie: oneOrMany(z.object({ Code: z.string(), Bedrijf: z.string(), BP: z.string() }).passthrough()),
  sjabloon: oneOrMany(z.object({ Naam: z.string().min(1) }).strict()),
  mutatie: oneOrMany(
    z.object({
      Soort: z.enum(MUTATIE_SOORTEN), Datum: isoDate, Rekening: z.string().optional(), RelatieCode: z.string().optional(),
      Factuurnummer: z.string().optional(), Boekstuk: z.string().optional(), Omschrijving: z.string().optional(),
      Betalingstermijn: z.string().optional(), InExBTW: z.enum(['IN', 'EX']).optional(),
      MutatieRegels: z.array(z.object({
        BedragInvoer: z.number(), BedragExclBTW: z.number(), BedragBTW: z.number(), BedragInclBTW: z.number(),
        BTWCode: z.string().optional(), BTWPercentage: z.number().default(0), TegenrekeningCode: z.string(), KostenplaatsID: z.number().int().default(0),
      })),
    }).strict(),
  ),
};

export function controlRouter(state: EboekhoudenState): Router {
  const r = express.Router();
  r.use('/_control', loopbackOnly, express.json({ limit: '10mb' }));

  const adm = (req: Request): Administratie => {
    const guid = typeof req.query.administratie === 'string' ? req.query.administratie : undefined;
    const user = typeof req.query.username === 'string' ? req.query.username : undefined;
    return user ? state.administratieOfUser(user) : state.administratie(guid);
  };
  /** Wraps a route: zod and business errors become 400/409 JSON answers. */
  const route = (fn: (req: Request) => unknown) => (req: Request, res: Response) => {
    try {
      res.json(fn(req) ?? { ok: true });
    } catch (e) {
      if (e instanceof z.ZodError) res.status(400).json({ error: 'invalid body', issues: e.issues });
      else if (e instanceof EbError) res.status(409).json({ error: e.code, message: e.description });
      else res.status(400).json({ error: e instanceof Error ? e.message : String(e) });
    }
  };

  r.post('/_control/reset', route((req) => {
    const { demo } = schemas.reset.parse(req.body ?? {});
    (demo ? loadDemo : loadEmpty)(state);
    return { ok: true, demo };
  }));

  r.get('/_control/users', route(() => [...state.users.values()].map((u) => ({ username: u.Username, administraties: u.Administraties }))));
  r.post('/_control/users', route((req) => {
    const u = state.upsertUser(schemas.user.parse(req.body));
    return { username: u.Username, administraties: u.Administraties };
  }));

  r.get('/_control/administraties', route(() => [...state.administraties.values()].map((a) => a.info)));
  r.post('/_control/administraties', route((req) => {
    const { seed, ...info } = schemas.administratie.parse(req.body);
    const guid = info.Guid ?? guidFrom(`administratie:${info.Bedrijf}`);
    if (state.administraties.has(guid)) throw new Error(`administratie ${guid} bestaat al`);
    const created = state.addAdministratie({ ...info, Guid: guid });
    if (seed === 'demo') state.seedNew(created);
    return created.info;
  }));

  const setClosed = route((req) => {
    const a = adm(req);
    const { afgeslotenTm } = schemas.closedPeriod.parse(req.body);
    if (afgeslotenTm) a.info.AfgeslotenTm = afgeslotenTm;
    else delete a.info.AfgeslotenTm;
    return { administratie: a.info.Guid, afgeslotenTm: a.info.AfgeslotenTm ?? null };
  });
  r.put('/_control/closed-period', setClosed);
  r.post('/_control/closed-period', setClosed);
  r.get('/_control/closed-period', route((req) => ({ administratie: adm(req).info.Guid, afgeslotenTm: adm(req).info.AfgeslotenTm ?? null })));

  r.get('/_control/sessions', route(() => ({ idleMs: state.sessionIdleMs, open: state.openSessionCount, ...state.sessionStats })));
  r.post('/_control/sessions/idle-timeout', route((req) => {
    state.sessionIdleMs = schemas.idle.parse(req.body).idleMs;
    return { idleMs: state.sessionIdleMs };
  }));
  r.post('/_control/sessions/expire', route(() => ({ expired: state.expireAllSessions() })));

  r.post('/_control/grootboekrekeningen', route((req) => schemas.grootboek.parse(req.body).map((g) => adm(req).addGrootboek(g, true))));
  r.post('/_control/artikelen', route((req) =>
    schemas.artikel.parse(req.body).map((a) =>
      adm(req).addArtikel({ ...a, VerkoopprijsInclBTW: a.VerkoopprijsInclBTW ?? Math.round(a.VerkoopprijsExclBTW * (100 + a.BtwPercentage)) / 100 }),
    ),
  ));
  r.post('/_control/relaties', route((req) => schemas.relatie.parse(req.body).map((x) => adm(req).addRelatie(x as never, state.today()))));
  r.post('/_control/factuursjablonen', route((req) => schemas.sjabloon.parse(req.body).map((s) => adm(req).addSjabloon(s.Naam))));
  // Bulk-loads bookings through the same rules as AddMutatie (e.g. to test the 500-row cap).
  r.post('/_control/mutaties', route((req) => ({ mutatienummers: schemas.mutatie.parse(req.body).map((m) => addMutatie(adm(req), m as MutatieInput)) })));

  r.get('/_control/grootboekrekeningen', route((req) => adm(req).grootboekrekeningen));
  r.get('/_control/relaties', route((req) => adm(req).relaties));
  r.get('/_control/artikelen', route((req) => adm(req).artikelen));
  r.get('/_control/factuursjablonen', route((req) => adm(req).factuursjablonen));
  r.get('/_control/mutaties', route((req) => adm(req).mutaties));
  r.get('/_control/facturen', route((req) => adm(req).facturen));
  r.get('/_control/open-posten', route((req) => {
    const a = adm(req);
    return a.openPosten.map((p) => ({ ...p, Openstaand: a.openstaand(p) }));
  }));

  r.get('/_control/stats', route(() => ({ calls: state.calls, sessions: { ...state.sessionStats, open: state.openSessionCount } })));
  r.post('/_control/stats/reset', route(() => {
    state.calls = {};
    state.sessionStats = { opened: 0, closed: 0, expired: 0 };
    return { ok: true };
  }));
  return r;
}
