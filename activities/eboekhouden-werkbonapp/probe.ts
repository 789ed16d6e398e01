/**
 * `werkbonProbe` (e-Boekhouden queue): what a due tick of the e-Boekhouden ↔ WerkbonApp koppeling
 * must read to notice that a cycle has work, and nothing more. Only the parts switched on:
 *
 *  - WerkbonApp `GetWorkorders?status=Compleet&workstatus=1&update_status=false` (export on): the
 *    werkbonnen to invoice. One call; any such werkbon is work (`outstanding`), whatever the
 *    fingerprint says.
 *  - e-Boekhouden `GetRelaties` and/or `GetArtikelen` in one session (OpenSession … CloseSession;
 *    import on): e-Boekhouden's SOAP API has no change date or filter on either list (contract
 *    A3/A4), so the list is the only way to see a changed relatie, material or hour type.
 *  - WerkbonApp `relations` / `materials` / `hourtypes` (per kind imported): only their codes, to
 *    notice records WerkbonApp lost (deleted there), which the cycle imports again.
 * Not read: the ledger, drafts and import memory in MongoDB (a cycle that left work behind ended
 * `partial`/`failed`, and such a cycle never sets the watermark), and of MongoDB only the
 * koppeling (one find; the credentials come from the probe cache, see activities/probe.ts).
 *
 * With everything on: 8 calls (4 e-Boekhouden, 4 WerkbonApp) where a cycle makes 10, no MongoDB
 * writes, no child workflow. A cycle that wrote something (an import, an invoice) changes what this
 * probe sees, so one more cycle follows before the ticks go idle.
 */
import { createEboekhoudenClient } from '../../src/systems/eboekhouden/client';
import { createWerkbonAppClient, RELEASE_WORKSTATUS_CODE } from '../../src/systems/werkbonapp/client';
import { EBOEKHOUDEN_WERKBONAPP, werkbonappSettings } from '../../src/koppelingen/eboekhouden-werkbonapp/settings';
import type { ActivityDeps } from '../deps';
import { fingerprintOf, probeSupport, type ProbeInput, type ProbeResult } from '../probe';
import { alive, missingCredentials } from '../support';

export function probe(deps: ActivityDeps) {
  const support = probeSupport(deps);
  return async function werkbonProbe(input: ProbeInput): Promise<ProbeResult> {
    const k = await support.load(input.koppelingId, EBOEKHOUDEN_WERKBONAPP);
    const settings = werkbonappSettings.parse(k.settings);
    const on = settings.import;
    const importing = on.relaties || on.materialen || on.uursoorten;
    const exporting = settings.export.factuur;
    if (!importing && !exporting) return fingerprintOf(k, { off: true });
    const creds = await support.secrets(k, importing ? ['eboekhouden', 'werkbonapp'] : ['werkbonapp']);
    if (!creds.werkbonapp.token) throw missingCredentials('werkbonapp');
    const wa = createWerkbonAppClient({ baseUrl: deps.config.WERKBONAPP_BASE_URL, token: creds.werkbonapp.token });
    const codes = (xs: Array<{ code?: string; debtorNumber?: string }>) => xs.map((x) => (x.code ?? x.debtorNumber ?? '').trim().toUpperCase()).sort();

    // Heartbeats while it reads: a killed worker's probe is retried after the short heartbeat timeout.
    const [orders, relations, materials, hourTypes, eb] = await alive(() => Promise.all([
      exporting ? wa.getWorkorders({ status: 'Compleet', workstatus: RELEASE_WORKSTATUS_CODE, updateStatus: false }) : undefined,
      on.relaties ? wa.getRelations().then(codes) : undefined,
      on.materialen ? wa.getMaterials().then(codes) : undefined,
      on.uursoorten ? wa.getHourTypes().then(codes) : undefined,
      importing ? readEboekhouden(deps, creds.eboekhouden, on.relaties, on.materialen || on.uursoorten) : undefined,
    ]));
    // The filter the cycle applies too: the server filters already, but only these are work.
    const toInvoice = (orders ?? []).filter((w) => w.status === 'Compleet' && w.workStatus === RELEASE_WORKSTATUS_CODE);
    return fingerprintOf(k, { orders: toInvoice, werkbonapp: { relations, materials, hourTypes }, eboekhouden: eb }, toInvoice.length > 0);
  };
}

async function readEboekhouden(deps: ActivityDeps, creds: Record<string, string>, relaties: boolean, artikelen: boolean) {
  if (!creds.username || !creds.securityCode1 || !creds.securityCode2) throw missingCredentials('eboekhouden');
  const client = createEboekhoudenClient({
    baseUrl: deps.config.EBOEKHOUDEN_BASE_URL,
    credentials: { username: creds.username, securityCode1: creds.securityCode1, securityCode2: creds.securityCode2 },
  });
  return client.withSession(async (s) => ({
    relaties: relaties ? await s.getRelaties() : undefined,
    artikelen: artikelen ? await s.getArtikelen() : undefined,
  }));
}
