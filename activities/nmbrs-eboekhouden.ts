/**
 * Activities of the Nmbrs → e-Boekhouden koppeling, plus its read-only admin tools (preview,
 * mapping check), which share the same reading code.
 *
 * - `nmbrsEbScanRuns` (Nmbrs queue): lists the runs in range, fetches and hashes each journal,
 *   compares with the ledger and stages the journals that need work in MongoDB, so the
 *   e-Boekhouden activities never call Nmbrs and no journal travels through workflow history.
 * - `nmbrsEbPostRun` (e-Boekhouden queue): one run, one e-Boekhouden session: pre-flight (balance,
 *   grootboekrekeningen, closed periods), then reversals and new bookings through Ledger.postOnce,
 *   links, and the bookkeeper's log line.
 *
 * Credentials are read here at call time; the workflow only ever carries ids, hashes and counts.
 */
import { Context } from '@temporalio/activity';
import { createEboekhoudenClient, type EboekhoudenSession } from '../src/connectors/eboekhouden';
import { createNmbrsClient, type NmbrsClient, type RunInfo } from '../src/connectors/nmbrs';
import { HttpError } from '../src/api/route';
import { localParts } from '../src/domain/cadence';
import { isKoppelError, KoppelError, transientError } from '../src/domain/errors';
import { contentHash } from '../src/domain/hash';
import {
  buildBoekingen,
  buildTegenboeking,
  codesOf,
  compactJournal,
  differences,
  formatEuro,
  isBalanced,
  journalHash,
  missingCodes,
  periodLabel,
  runKey,
  runLabel,
  targetCode,
  toMutatieInput,
  totals,
  type JournalRun,
  type JournalTx,
  type MutatieSpec,
} from '../src/domain/journal-mutatie';
import { closedInfoFor, firstOpenDate, isClosed, laterDate, periodOfDate, type ClosedInfo } from '../src/domain/journal-periods';
import { planRun, type RunEntry, type RunPlan } from '../src/domain/journal-plan';
import {
  NMBRS_EBOEKHOUDEN,
  nmbrsEboekhoudenSettings,
  type NmbrsEboekhoudenEbCredentials,
  type NmbrsEboekhoudenNmbrsCredentials,
  type NmbrsEboekhoudenSettings,
} from '../src/koppelingen/nmbrs-eboekhouden';
import { businessKey } from '../src/store/ledger';
import type { LogEntryInput } from '../src/store/log';
import type { ClosedPeriod, KoppelingDoc, LedgerDoc } from '../src/store/types';
import type { ActivityDeps } from './deps';

/** Ledger entities: every booked memoriaal, and runs deliberately not booked (closed period). */
export const MEMORIAAL = 'memoriaal';
export const LOONJOURNAAL = 'loonjournaal';
/** Staged journals between the scan and the e-Boekhouden activities (one cycle's worth). */
const SNAPSHOTS = 'journalSnapshots';

export interface CycleIds {
  tenantId: string;
  koppelingId: string;
  cycleNo: number;
}

export interface RunWork {
  runKey: string;
  hash: string;
  kind: RunPlan['kind'];
  label: string;
}

export interface ScanResult {
  active: boolean;
  /** Runs in the sync range, locked or not. */
  runsSeen: number;
  notLocked: number;
  unchanged: number;
  /** Runs whose current journal was already skipped for a closed period (warned once). */
  skippedBefore: number;
  work: RunWork[];
}

export interface PostRunInput extends CycleIds {
  runKey: string;
  hash: string;
  closedPeriods: ClosedPeriod[];
  /** e-Boekhouden's "afgesloten t/m", when an earlier run of this cycle learned it. */
  closedThrough?: string;
}

export interface PostRunResult {
  status: 'posted' | 'corrected' | 'unchanged' | 'blocked' | 'closed' | 'invalid';
  label: string;
  mutaties: number;
  tegenboekingen: number;
  missingCodes?: string[];
  closedThrough?: string;
}

interface SnapshotDoc {
  _id: string;
  koppelingId: string;
  runKey: string;
  hash: string;
  run: JournalRun;
  txs: JournalTx[];
  createdAt: Date;
}

/** What the ledger keeps per memoriaal: enough to recognise it and to reverse it exactly. */
interface MemoriaalMeta {
  runKey: string;
  runId: number;
  year: number;
  companyId: number;
  runNumber: number;
  period: string;
  role: RunEntry['role'];
  version: number;
  tx: number;
  txCount: number;
  runHash: string;
  datum: string;
  omschrijving: string;
  regels: MutatieSpec['regels'];
  debetCents: number;
  creditCents: number;
  cycleNo?: number;
}

interface Loaded {
  k: KoppelingDoc;
  settings: NmbrsEboekhoudenSettings;
}

interface InspectedRun {
  info: RunInfo;
  run: JournalRun;
  txs: JournalTx[];
  hash: string;
}

const meta = (d: LedgerDoc) => d.meta as unknown as MemoriaalMeta;

function toEntry(d: LedgerDoc): RunEntry {
  const m = meta(d);
  return {
    key: d._id,
    role: m.role,
    version: m.version,
    tx: m.tx,
    txCount: m.txCount,
    status: d.status,
    attempts: d.attempts,
    runHash: m.runHash,
    ...(d.links.reverses ? { reverses: d.links.reverses } : {}),
  };
}

function specOf(d: LedgerDoc): MutatieSpec {
  const m = meta(d);
  return { reference: d.reference, datum: m.datum, omschrijving: m.omschrijving, regels: m.regels };
}

function specMeta(spec: MutatieSpec) {
  return { datum: spec.datum, omschrijving: spec.omschrijving, regels: spec.regels, ...totals(spec.regels) };
}

function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not inside an activity (the admin API's preview uses the same code).
  }
}

/** Heartbeat on a timer while `fn` runs: the heartbeat timeout then only detects a dead worker. */
async function withHeartbeat<T>(fn: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => heartbeat(), 1_000);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retry a call that is safe to repeat (a read, or a postOnce, which looks up before it writes
 * again) a few times on transient trouble, so one dropped request does not fail a whole run.
 */
async function retrying<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const retryable = isKoppelError(err) && (err.type === 'Transient' || (err.type === 'RateLimited' && (err.retryAfterMs ?? 0) <= 5_000));
      if (!retryable || i >= attempts) throw err;
      heartbeat();
      await sleep(isKoppelError(err) && err.type === 'RateLimited' ? err.retryAfterMs ?? 1_000 : 200 * 2 ** (i - 1));
    }
  }
}

function missingCredentials(system: 'nmbrs' | 'eboekhouden'): KoppelError {
  const naam = system === 'nmbrs' ? 'Visma Nmbrs' : 'e-Boekhouden.nl';
  return new KoppelError({
    type: 'ReauthRequired',
    system,
    message: `no ${system} credentials stored`,
    oorzaak: `Er zijn geen inloggegevens voor ${naam} opgeslagen bij deze koppeling.`,
    oplossing: `Vul de inloggegevens voor ${naam} in bij de koppeling.`,
  });
}

/** The shared reading side: used by the activities and by the admin API's preview and mapping check. */
function reader(deps: ActivityDeps) {
  const snapshots = () => deps.store.db.collection<SnapshotDoc>(SNAPSHOTS);

  async function load(koppelingId: string): Promise<Loaded> {
    const k = await deps.koppelingen.get(koppelingId);
    if (!k) {
      throw new KoppelError({
        type: 'InvalidData',
        system: 'koppelwerk',
        message: `koppeling ${koppelingId} not found`,
        oorzaak: `Koppeling ${koppelingId} bestaat niet (meer).`,
        oplossing: 'Geen actie nodig als de koppeling bewust is verwijderd.',
      });
    }
    if (k.type !== NMBRS_EBOEKHOUDEN) throw new Error(`koppeling ${koppelingId} is of type ${k.type}`);
    return { k, settings: nmbrsEboekhoudenSettings.parse(k.settings) };
  }

  async function nmbrsClient(l: Loaded): Promise<NmbrsClient> {
    const creds = await deps.credentials.read<NmbrsEboekhoudenNmbrsCredentials>(l.k._id, 'nmbrs');
    if (!creds) throw missingCredentials('nmbrs');
    return createNmbrsClient({
      baseUrl: deps.config.NMBRS_BASE_URL,
      credentials: { username: creds.username, token: creds.token, domain: creds.domain ?? '' },
      timeoutMs: l.settings.nmbrsTimeoutMs,
    });
  }

  async function ebClient(l: Loaded) {
    const creds = await deps.credentials.read<NmbrsEboekhoudenEbCredentials>(l.k._id, 'eboekhouden');
    if (!creds) throw missingCredentials('eboekhouden');
    return createEboekhoudenClient({
      baseUrl: deps.config.EBOEKHOUDEN_BASE_URL,
      credentials: creds,
      timeoutMs: l.settings.eboekhoudenTimeoutMs,
      ...(l.settings.administratieGuid ? { administratieGuid: l.settings.administratieGuid } : {}),
    });
  }

  /** The company's runs from the start year/period up to this year (Amsterdam), oldest first. */
  async function runsInRange(client: NmbrsClient, s: NmbrsEboekhoudenSettings): Promise<RunInfo[]> {
    const thisYear = localParts(new Date()).year;
    const runs: RunInfo[] = [];
    for (let year = s.syncFromYear; year <= thisYear; year++) {
      heartbeat();
      const list = await retrying(() => client.listRuns(s.nmbrsCompanyId, year));
      runs.push(...list.filter((r) => r.year > s.syncFromYear || r.periodEnd >= s.syncFromPeriod));
    }
    return runs.sort((a, b) => a.year - b.year || a.periodStart - b.periodStart || a.id - b.id);
  }

  async function inspect(client: NmbrsClient, s: NmbrsEboekhoudenSettings, info: RunInfo): Promise<InspectedRun> {
    const journal = await retrying(() => client.getJournal(s.nmbrsCompanyId, info.id, info.year));
    const run: JournalRun = {
      companyId: s.nmbrsCompanyId,
      runId: info.id,
      year: info.year,
      number: info.number,
      periodStart: info.periodStart,
      periodEnd: info.periodEnd,
      ...(info.description ? { description: info.description } : {}),
    };
    const txs = compactJournal(journal);
    return { info, run, txs, hash: journalHash(txs) };
  }

  /** Ledger state per run: memoriaal entries, and journal hashes skipped for a closed period. */
  async function ledgerByRun(koppelingId: string) {
    const [docs, skipped] = await Promise.all([
      deps.ledger.list({ koppelingId, entity: MEMORIAAL }),
      deps.ledger.list({ koppelingId, entity: LOONJOURNAAL, status: 'skipped' }),
    ]);
    const byRun = new Map<string, { docs: LedgerDoc[]; skipped: Set<string> }>();
    const of = (key: string) => byRun.get(key) ?? byRun.set(key, { docs: [], skipped: new Set() }).get(key)!;
    for (const d of docs) of(meta(d).runKey).docs.push(d);
    for (const d of skipped) of(String(d.meta.runKey)).skipped.add(d.contentHash);
    return byRun;
  }

  function runDocs(koppelingId: string, key: string): Promise<LedgerDoc[]> {
    return deps.store.c.ledger.find({ koppelingId, entity: MEMORIAAL, 'meta.runKey': key }).sort({ createdAt: 1 }).toArray();
  }

  return { snapshots, load, nmbrsClient, ebClient, runsInRange, inspect, ledgerByRun, runDocs };
}

/** Find an earlier booking by its reference (GetMutaties filters on Factuurnummer). */
async function lookupMutatie(session: EboekhoudenSession, reference: string): Promise<string | undefined> {
  const found = await retrying(() => session.getMutaties({ factuurnummer: reference }));
  const m = found.find((x) => x.boekstuk === reference || x.factuurnummer === reference);
  return m ? String(m.mutatieNr) : undefined;
}

class ClosedSkip extends Error {}

const nrs = (xs: string[]) => (xs.length === 1 ? `memoriaal ${xs[0]}` : `memorialen ${xs.join(', ')}`);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function createNmbrsEboekhoudenActivities(deps: ActivityDeps) {
  const r = reader(deps);

  return {
    async nmbrsEbScanRuns(input: CycleIds): Promise<ScanResult> {
      const l = await r.load(input.koppelingId);
      const result: ScanResult = { active: l.settings.active, runsSeen: 0, notLocked: 0, unchanged: 0, skippedBefore: 0, work: [] };
      if (!l.settings.active) return result;
      const client = await r.nmbrsClient(l);
      return withHeartbeat(async () => {
        const runs = await r.runsInRange(client, l.settings);
        const ledger = await r.ledgerByRun(l.k._id);
        // Staging is per cycle: the previous cycle's journals are stale by now.
        await r.snapshots().deleteMany({ koppelingId: l.k._id });
        result.runsSeen = runs.length;
        for (const info of runs) {
          if (l.settings.lockedRunsOnly && !info.isLocked) {
            result.notLocked++;
            continue;
          }
          heartbeat({ runId: info.id });
          const x = await r.inspect(client, l.settings, info);
          const key = runKey(x.run);
          const state = ledger.get(key);
          if (state?.skipped.has(x.hash)) {
            result.skippedBefore++;
            continue;
          }
          const plan = planRun((state?.docs ?? []).map(toEntry), x.hash, x.txs.length);
          if (plan.kind === 'unchanged') {
            result.unchanged++;
            continue;
          }
          const _id = `${l.k._id}|${key}|${x.hash}`;
          await r.snapshots().replaceOne({ _id }, { koppelingId: l.k._id, runKey: key, hash: x.hash, run: x.run, txs: x.txs, createdAt: new Date() }, { upsert: true });
          result.work.push({ runKey: key, hash: x.hash, kind: plan.kind, label: runLabel(x.run) });
        }
        return result;
      });
    },

    async nmbrsEbPostRun(input: PostRunInput): Promise<PostRunResult> {
      const l = await r.load(input.koppelingId);
      const snap = await r.snapshots().findOne({ _id: `${l.k._id}|${input.runKey}|${input.hash}` });
      if (!snap) throw transientError('koppelwerk', `staged journal of ${input.runKey} is gone; the next cycle fetches it again`);
      const { run, txs } = snap;
      const label = runLabel(run);
      const key = runKey(run);
      const write = (entry: LogEntryInput) => deps.log.write(l.k.tenantId, l.k._id, [{ cycleNo: input.cycleNo, ...entry, details: { runId: run.runId, year: run.year, period: periodLabel(run), runNumber: run.number, ...entry.details } }]);
      const result: PostRunResult = { status: 'unchanged', label, mutaties: 0, tegenboekingen: 0 };
      const eb = await r.ebClient(l);

      return withHeartbeat(() =>
        eb.withSession(async (session) => {
          let docs = await r.runDocs(l.k._id, key);
          let plan = planRun(docs.map(toEntry), input.hash, txs.length);
          // An interrupted attempt at an outdated booking: ask e-Boekhouden before deciding what to reverse.
          if (plan.resolve.length) {
            for (const id of plan.resolve) {
              const d = docs.find((x) => x._id === id)!;
              const found = d.attempts > 0 ? await lookupMutatie(session, d.reference) : undefined;
              if (found) await deps.ledger.markPosted(id, found);
              else await deps.ledger.markSkipped(id, 'Niet geboekt: onderbroken poging, e-Boekhouden kent de referentie niet.');
            }
            docs = await r.runDocs(l.k._id, key);
            plan = planRun(docs.map(toEntry), input.hash, txs.length);
          }
          if (plan.kind === 'unchanged') return result;

          const byId = new Map(docs.map((d) => [d._id, d]));
          const version = buildBoekingen(run, txs, l.k.mapping, plan.version);
          const toPost = plan.post.map((tx) => ({ tx, spec: version[tx] }));
          const toReverse = plan.reverse.map((id) => {
            const original = byId.get(id)!;
            return { original, spec: buildTegenboeking(specOf(original), meta(original).datum) };
          });
          // The version being replaced, as booked: for the amounts in the log.
          const replaced = plan.replaces === undefined ? [] : docs.filter((d) => meta(d).role === 'boeking' && meta(d).version === plan.replaces && d.status === 'posted');
          const booked = totals(replaced.flatMap((d) => meta(d).regels));
          const next = totals(version.flatMap((s) => s.regels));

          // Pre-flight 1: a journal that does not balance is never booked.
          const unbalanced = toPost.filter((p) => !isBalanced(p.spec.regels));
          if (unbalanced.length) {
            const t = totals(unbalanced[0].spec.regels);
            await write({
              level: 'error',
              code: 'RUN_UNBALANCED',
              message: `${label} niet geboekt: de loonjournaalpost is niet in balans (debet ${formatEuro(t.debetCents)}, credit ${formatEuro(t.creditCents)}). Controleer de run in Visma Nmbrs.`,
            });
            return { ...result, status: 'invalid' };
          }

          // Pre-flight 2: every grootboekrekening must exist (after the mapping), else nothing of this run is booked.
          const chart = (await retrying(() => session.getGrootboekrekeningen())).map((g) => g.code);
          const missing = missingCodes(codesOf([...toPost.map((p) => p.spec), ...toReverse.map((x) => x.spec)]), chart);
          if (missing.length) {
            const dims = [...new Set(txs.flatMap((t) => t.regels.map((g) => g.dim1)).filter((d) => missing.includes(targetCode(d, l.k.mapping))))];
            await write({
              level: 'warn',
              code: 'RUN_MAPPING_MISSING',
              message: `${label} overgeslagen: grootboekrekening${missing.length === 1 ? '' : 'en'} ${missing.join(', ')} ontbreek${missing.length === 1 ? 't' : 'en'} in e-Boekhouden.`,
              details: { missingCodes: missing, dim1: dims },
            });
            return { ...result, status: 'blocked', missingCodes: missing };
          }

          // Pre-flight 3: closed periods. Abandon only what has not started; finish the rest in the first open period.
          let closedThrough = input.closedThrough;
          let closed: ClosedInfo = closedInfoFor(l.settings.administration, input.closedPeriods, closedThrough);
          const mayAbandon = !plan.started && (plan.kind === 'new' || l.settings.changesInClosedPeriod === 'warn');
          const specs = [...toReverse.map((x) => x.spec), ...toPost.map((p) => p.spec)];
          const redated: Array<{ reference: string; from: string; to: string }> = [];
          const done = new Set<string>();
          const redate = () => {
            for (const s of specs) {
              if (done.has(s.reference) || !isClosed(s.datum, closed)) continue;
              const to = firstOpenDate(s.datum, closed);
              redated.push({ reference: s.reference, from: s.datum, to });
              s.datum = to;
            }
          };
          const skipClosed = async (): Promise<PostRunResult> => {
            const closedDates = [...new Set(specs.filter((s) => isClosed(s.datum, closed)).map((s) => periodOfDate(s.datum)))];
            const periods = closedDates.join(', ') || periodLabel(run);
            const diff = differences(replaced.map(specOf), version);
            const message =
              plan.kind === 'new'
                ? `${label} niet geboekt: periode ${periods} is afgesloten in e-Boekhouden (${plural(version.reduce((n, s) => n + s.regels.length, 0), 'regel', 'regels')}, debet ${formatEuro(next.debetCents)}).`
                : `${label} is gewijzigd in Nmbrs, maar periode ${periods} is afgesloten in e-Boekhouden: de wijziging is niet geboekt. ` +
                  `Geboekt staat debet ${formatEuro(booked.debetCents)}, volgens Nmbrs nu debet ${formatEuro(next.debetCents)} (verschil ${formatEuro(next.debetCents - booked.debetCents)}).`;
            await write({
              level: 'warn',
              code: plan.kind === 'new' ? 'PERIOD_CLOSED_SKIPPED' : 'PERIOD_CLOSED_CHANGE',
              message,
              details: { closedPeriods: closedDates, closedThrough, bookedDebetCents: booked.debetCents, newDebetCents: next.debetCents, differences: diff },
            });
            // Remember this journal content as handled, so the warning is given once, not daily.
            const marker = await deps.ledger.begin({
              tenantId: l.k.tenantId,
              koppelingId: l.k._id,
              entity: LOONJOURNAAL,
              sourceKey: `${key}#${input.hash}`,
              contentHash: input.hash,
              reference: version[0]?.reference ?? key,
              meta: { runKey: key, runId: run.runId, year: run.year, period: periodLabel(run), reason: 'periode afgesloten', newDebetCents: next.debetCents, bookedDebetCents: booked.debetCents, cycleNo: input.cycleNo },
            });
            await deps.ledger.markSkipped(marker._id, `Periode ${periods} is afgesloten in e-Boekhouden.`);
            return { ...result, status: 'closed', ...(closedThrough ? { closedThrough } : {}) };
          };
          if (specs.some((s) => isClosed(s.datum, closed))) {
            if (mayAbandon) return skipClosed();
            redate();
          }

          // Write: reversals first, so a refusal before anything was booked leaves the books as they were.
          let written = 0;
          const book = async (sourceKey: string, spec: MutatieSpec, m: Omit<MemoriaalMeta, keyof ReturnType<typeof specMeta>>, links: LedgerDoc['links']) => {
            const ledgerKey = businessKey(l.k._id, MEMORIAAL, sourceKey);
            for (let attempt = 0; ; attempt++) {
              try {
                const res = await retrying(() =>
                  deps.ledger.postOnce(
                    { tenantId: l.k.tenantId, koppelingId: l.k._id, entity: MEMORIAAL, sourceKey, contentHash: contentHash(spec), reference: spec.reference, meta: { ...m, ...specMeta(spec) }, links },
                    {
                      lookup: (ref) => lookupMutatie(session, ref),
                      write: async () => {
                        // The ledger keeps what is actually sent (the date or mapping may differ from an earlier attempt).
                        await deps.ledger.setContent(ledgerKey, contentHash(spec), specMeta(spec));
                        return String(await session.addMutatie(toMutatieInput(spec)));
                      },
                    },
                  ),
                );
                written++;
                done.add(spec.reference);
                heartbeat();
                return res;
              } catch (err) {
                if (!(isKoppelError(err) && err.type === 'PeriodClosed') || attempt > 0) throw err;
                // e-Boekhouden's own closing date, learned the hard way: use it for the rest of the cycle.
                closedThrough = laterDate(closedThrough, typeof err.details?.closedThrough === 'string' ? err.details.closedThrough : spec.datum);
                closed = { ...closed, closedThrough };
                if (written === 0 && mayAbandon) throw new ClosedSkip();
                redate();
              }
            }
          };

          const reversalNrs: string[] = [];
          const originalNrs: string[] = [];
          const newNrs: string[] = [];
          try {
            for (const x of toReverse) {
              const om = meta(x.original);
              const res = await book(`${x.original.sourceKey}/tegenboeking`, x.spec, { ...om, role: 'tegenboeking', cycleNo: input.cycleNo }, { reverses: x.original._id });
              await deps.ledger.link(x.original._id, { reversedBy: res.doc._id });
              reversalNrs.push(res.targetId);
              originalNrs.push(x.original.targetId ?? '?');
            }
            for (const p of toPost) {
              const old = replaced.find((d) => meta(d).tx === p.tx) ?? replaced[0];
              const m = { runKey: key, runId: run.runId, year: run.year, companyId: run.companyId, runNumber: run.number, period: periodLabel(run), role: 'boeking' as const, version: plan.version, tx: p.tx, txCount: txs.length, runHash: input.hash, cycleNo: input.cycleNo };
              const res = await book(`${key}/v${plan.version}/t${p.tx}`, p.spec, m, old ? { replaces: old._id } : {});
              if (old) await deps.ledger.link(old._id, { replacedBy: res.doc._id });
              newNrs.push(res.targetId);
            }
          } catch (err) {
            if (err instanceof ClosedSkip) return skipClosed();
            if (isKoppelError(err) && !err.retryable && err.type !== 'MappingIncomplete') {
              await write({ level: 'error', code: 'RUN_FAILED', message: `${label} niet (volledig) geboekt: ${err.userMessage}`, details: { type: err.type, code: err.code } });
            }
            throw err;
          }

          const regels = toPost.reduce((n, p) => n + p.spec.regels.length, 0);
          const redatedNote = redated.length
            ? ` Gedateerd op ${[...new Set(redated.map((x) => x.to))].join(', ')}: de eerste open periode (${[...new Set(redated.map((x) => periodOfDate(x.from)))].join(', ')} is afgesloten).`
            : '';
          const corrected = toReverse.length > 0;
          const message = corrected
            ? `${label} is gewijzigd in Nmbrs: ${nrs(originalNrs)} tegengeboekt als ${nrs(reversalNrs)}` +
              (newNrs.length ? `; versie ${plan.version} (${plural(regels, 'regel', 'regels')}) geboekt als ${nrs(newNrs)}` : '; de nieuwe loonjournaalpost is leeg') +
              ` (debet ${formatEuro(booked.debetCents)} → ${formatEuro(next.debetCents)}).${redatedNote}`
            : `${label}: ${plural(regels, 'regel', 'regels')} geboekt als ${nrs(newNrs)} (debet ${formatEuro(next.debetCents)}).${redatedNote}`;
          await write({
            level: redated.length ? 'warn' : 'info',
            code: corrected ? 'RUN_CORRECTED' : 'RUN_POSTED',
            message,
            counts: { memorialen: newNrs.length, tegenboekingen: reversalNrs.length, regels },
            details: { version: plan.version, mutatienummers: newNrs, tegenboekingen: reversalNrs, vervangen: originalNrs, redated, debetCents: next.debetCents, ...(corrected ? { previousDebetCents: booked.debetCents } : {}) },
          });
          return {
            status: corrected ? 'corrected' : 'posted',
            label,
            mutaties: newNrs.length,
            tegenboekingen: reversalNrs.length,
            ...(closedThrough ? { closedThrough } : {}),
          };
        }),
      );
    },
  };
}

export type NmbrsEboekhoudenActivities = ReturnType<typeof createNmbrsEboekhoudenActivities>;

// ------------------------------------------------------------------ admin API: preview, mapping check

function asHttp(err: unknown): never {
  if (isKoppelError(err)) {
    const status = err.type === 'Transient' || err.type === 'RateLimited' ? 502 : 409;
    throw new HttpError(status, `${err.oorzaak} Oplossing: ${err.oplossing}`);
  }
  throw err;
}

const euroLine = (cents: number) => ({ bedrag: formatEuro(Math.abs(cents)), cents: Math.abs(cents), debetCredit: cents >= 0 ? 'D' : 'C' });

export function createNmbrsEboekhoudenPreviews(deps: ActivityDeps) {
  const r = reader(deps);

  /** Every run in range with its journal, plus e-Boekhouden's chart, read once. */
  async function gather(koppelingId: string, withUnlocked: boolean) {
    const l = await r.load(koppelingId);
    const [client, eb] = await Promise.all([r.nmbrsClient(l), r.ebClient(l)]);
    const runs = await r.runsInRange(client, l.settings);
    const inspected: Array<InspectedRun | { info: RunInfo; skipped: true }> = [];
    for (const info of runs) {
      if (!withUnlocked && l.settings.lockedRunsOnly && !info.isLocked) inspected.push({ info, skipped: true });
      else inspected.push(await r.inspect(client, l.settings, info));
    }
    const chart = await eb.withSession((s) => retrying(() => s.getGrootboekrekeningen()));
    return { l, inspected, chart };
  }

  return {
    /** Dry run: what the next cycle would book, per run, without writing anything. */
    async preview(koppelingId: string) {
      try {
        const { l, inspected, chart } = await gather(koppelingId, false);
        const codes = chart.map((g) => g.code);
        const ledger = await r.ledgerByRun(l.k._id);
        const closed = closedInfoFor(l.settings.administration, l.k.closedPeriods);
        const allMissing = new Set<string>();
        let mutaties = 0;
        let tegenboekingen = 0;
        const runs = inspected.map((x) => {
          if ('skipped' in x) {
            return { runId: x.info.id, run: runLabel(x.info), year: x.info.year, locked: false, status: 'niet vergrendeld: wordt nog niet geboekt', mutaties: [] };
          }
          const state = ledger.get(runKey(x.run));
          const plan = planRun((state?.docs ?? []).map(toEntry), x.hash, x.txs.length);
          const version = buildBoekingen(x.run, x.txs, l.k.mapping, plan.version);
          const byId = new Map((state?.docs ?? []).map((d) => [d._id, d]));
          const reversals = plan.reverse.map((id) => buildTegenboeking(specOf(byId.get(id)!), meta(byId.get(id)!).datum));
          const posts = plan.post.map((i) => version[i]);
          const missing = missingCodes(codesOf([...posts, ...reversals]), codes);
          missing.forEach((c) => allMissing.add(c));
          const t = totals(version.flatMap((s) => s.regels));
          const anyClosed = [...reversals, ...posts].some((s) => isClosed(s.datum, closed));
          let status: string;
          if (state?.skipped.has(x.hash)) status = 'eerder overgeslagen: periode afgesloten';
          else if (plan.kind === 'unchanged') status = 'ongewijzigd: al geboekt';
          else if (posts.some((p) => !isBalanced(p.regels))) status = 'niet in balans: wordt niet geboekt';
          else if (missing.length) status = `overgeslagen: grootboekrekening ${missing.join(', ')} ontbreekt in e-Boekhouden`;
          else if (anyClosed && !plan.started && (plan.kind === 'new' || l.settings.changesInClosedPeriod === 'warn')) status = 'periode afgesloten: wordt niet geboekt (waarschuwing in het logboek)';
          else status = plan.kind === 'new' ? 'nieuw: wordt geboekt' : plan.kind === 'changed' ? 'gewijzigd: tegenboeking en nieuwe versie' : 'onderbroken: wordt afgemaakt';
          const willBook = status.startsWith('nieuw') || status.startsWith('gewijzigd') || status.startsWith('onderbroken');
          const shown = willBook
            ? [...reversals.map((s) => ({ kind: 'tegenboeking', s })), ...posts.map((s) => ({ kind: 'boeking', s }))].map(({ kind, s }) => ({
                soort: 'Memoriaal',
                kind,
                reference: s.reference,
                datum: anyClosed ? firstOpenDate(s.datum, closed) : s.datum,
                omschrijving: s.omschrijving,
                regels: s.regels.map((g) => ({ grootboekrekening: g.code, ...euroLine(g.cents) })),
              }))
            : [];
          if (willBook) {
            mutaties += posts.length;
            tegenboekingen += reversals.length;
          }
          return {
            runId: x.run.runId,
            run: runLabel(x.run),
            year: x.run.year,
            periodStart: x.run.periodStart,
            periodEnd: x.run.periodEnd,
            number: x.run.number,
            locked: x.info.isLocked,
            status,
            journalLines: x.txs.reduce((n, tx) => n + tx.lineCount, 0),
            totals: { debet: formatEuro(t.debetCents), credit: formatEuro(t.creditCents), debetCents: t.debetCents, creditCents: t.creditCents },
            missingCodes: missing,
            lines: x.txs.flatMap((tx) =>
              tx.regels.map((g) => ({ datum: tx.date, dim1: g.dim1, omschrijving: g.description, grootboekrekening: targetCode(g.dim1, l.k.mapping), journaalregels: g.lines, ...euroLine(g.side === 'D' ? g.cents : -g.cents) })),
            ),
            mutaties: shown,
          };
        });
        return {
          koppelingId,
          generatedAt: new Date().toISOString(),
          company: l.settings.nmbrsCompanyId,
          syncFrom: `${l.settings.syncFromYear}-${String(l.settings.syncFromPeriod).padStart(2, '0')}`,
          lockedRunsOnly: l.settings.lockedRunsOnly,
          active: l.settings.active,
          summary: { runs: runs.length, mutaties, tegenboekingen, missingCodes: [...allMissing] },
          missingCodes: [...allMissing],
          runs,
        };
      } catch (err) {
        return asHttp(err);
      }
    },

    /** Every dim1 the journals use, against e-Boekhouden's grootboekrekeningen (after the mapping). */
    async mappingCheck(koppelingId: string) {
      try {
        const { l, inspected, chart } = await gather(koppelingId, true);
        const gb = new Map(chart.map((g) => [g.code, g]));
        const seen = new Map<string, { omschrijving: string; runs: Set<string>; regels: number }>();
        for (const x of inspected) {
          if ('skipped' in x) continue;
          for (const tx of x.txs) {
            for (const g of tx.regels) {
              const s = seen.get(g.dim1) ?? { omschrijving: g.description, runs: new Set<string>(), regels: 0 };
              s.runs.add(runLabel(x.run));
              s.regels += g.lines;
              seen.set(g.dim1, s);
            }
          }
        }
        const codes = [...seen.entries()]
          .sort(([a], [b]) => a.localeCompare(b, 'nl', { numeric: true }))
          .map(([dim1, s]) => {
            const code = targetCode(dim1, l.k.mapping);
            const target = gb.get(code);
            return {
              dim1,
              omschrijving: s.omschrijving,
              grootboekrekening: code,
              viaMapping: code !== dim1,
              bestaat: !!target,
              ...(target ? { omschrijvingEboekhouden: target.omschrijving, categorie: target.categorie } : {}),
              runs: s.runs.size,
              journaalregels: s.regels,
            };
          });
        const missing = codes.filter((c) => !c.bestaat).map((c) => c.grootboekrekening);
        const unused = Object.entries(l.k.mapping)
          .filter(([dim1]) => !seen.has(dim1))
          .map(([dim1, code]) => ({ dim1, grootboekrekening: code, bestaat: gb.has(code) }));
        return {
          koppelingId,
          generatedAt: new Date().toISOString(),
          ok: missing.length === 0,
          missingCodes: [...new Set(missing)],
          codes,
          unusedMapping: unused,
          grootboekrekeningen: chart.length,
          advies: missing.length
            ? `Maak ${[...new Set(missing)].join(', ')} aan in e-Boekhouden.nl (Beheer > Inrichting > Grootboekrekeningen) of koppel de looncode in de mapping aan een bestaande grootboekrekening.`
            : 'Alle looncodes hebben een grootboekrekening in e-Boekhouden.nl.',
        };
      } catch (err) {
        return asHttp(err);
      }
    },
  };
}
