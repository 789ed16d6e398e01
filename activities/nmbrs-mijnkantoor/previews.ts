/**
 * The admin API's settings check for Nmbrs ↔ Mijn Kantoor (seed 001 step 5 plus the dossier): every
 * configured directory must exist in Mijn Kantoor and be a leaf (files only go into leaf
 * directories), checked when the settings are saved so the user hears it at once, not at 07:00.
 * Also the seed's warning when direct sync is switched on.
 */
import { isKoppelError } from '../../src/domain/errors';
import { DIRECT_SYNC_WARNING, nmbrsMijnkantoorSettings } from '../../src/koppelingen/nmbrs-mijnkantoor/settings';
import { createMijnKantoorClient } from '../../src/systems/mijnkantoor/client';
import { mijnkantoorCredentials, type MijnkantoorCredentials } from '../../src/systems/mijnkantoor/system';
import type { ActivityDeps } from '../deps';
import { context } from './context';
import { scan } from './scan';
import type { SettingsCheck, SettingsCheckInput } from '../../src/koppelingen/koppeling';

/** Ledger entities of filed documents (the hourly kinds and jaarwerk). */
const FILED = ['loonstroken', 'sepa', 'loonaangiftes', 'jaarwerk'];

export function createNmbrsMijnkantoorPreviews(deps: ActivityDeps) {
  const ctx = context(deps);
  return {
    /**
     * The operator's view (GET /koppelingen/:id/preview): what was filed in the last hour, what the
     * next cycle would file, and what is waiting and why. Reads only: the scan writes nothing.
     */
    async preview(koppelingId: string) {
      const l = await ctx.load(koppelingId);
      const since = new Date(Date.now() - 3_600_000);
      const filed = (await deps.ledger.list({ koppelingId, status: 'posted' }))
        .filter((e) => FILED.includes(e.entity) && new Date(e.updatedAt) >= since)
        .map((e) => ({ kind: e.entity, name: e.reference, customerId: e.meta?.customerId, at: e.updatedAt }));
      const next = await scan(ctx)({ tenantId: l.k.tenantId, koppelingId, cycleNo: 0 });
      return {
        filedLastHour: filed,
        nextCycle: next.work.map((w) => w.label),
        unchanged: next.unchanged,
        waiting: next.waitingReasons,
        waitingTotal: next.waiting,
        conflicts: next.conflicts,
      };
    },

    async checkSettings(input: SettingsCheckInput): Promise<SettingsCheck> {
      const out: SettingsCheck = { issues: [], warnings: [] };
      const settings = nmbrsMijnkantoorSettings.safeParse(input.settings);
      if (!settings.success) return out; // the schema's own 400 names those
      if (settings.data.directSync) out.warnings.push(DIRECT_SYNC_WARNING);
      let creds: MijnkantoorCredentials | undefined;
      const given = mijnkantoorCredentials.safeParse(input.credentials?.mijnkantoor);
      if (given.success) creds = given.data;
      else if (input.koppelingId) creds = await deps.credentials.read<MijnkantoorCredentials>(input.koppelingId, 'mijnkantoor');
      if (!creds) {
        out.warnings.push('De mappen in Mijn Kantoor konden niet worden gecontroleerd: er is (nog) geen API-token van Mijn Kantoor.');
        return out;
      }
      const mk = createMijnKantoorClient({ baseUrl: deps.config.MIJNKANTOOR_BASE_URL, token: creds.token, tenant: creds.tenant, timeoutMs: 10_000 });
      let dirs;
      try {
        dirs = await mk.listDirectories();
      } catch (err) {
        if (isKoppelError(err) && err.type === 'ReauthRequired') {
          out.issues.push({ field: 'credentials.mijnkantoor.token', reason: `${err.oorzaak} ${err.oplossing}` });
        } else {
          out.warnings.push(`De mappen in Mijn Kantoor konden niet worden gecontroleerd (${isKoppelError(err) ? err.oorzaak : String(err)}); de koppeling controleert ze bij het archiveren opnieuw.`);
        }
        return out;
      }
      for (const [kind, id] of Object.entries(settings.data.directories)) {
        const dir = dirs.find((d) => d.id === id);
        if (!dir) out.issues.push({ field: `settings.directories.${kind}`, reason: `map ${id} bestaat niet in het dossier van Mijn Kantoor (tenant ${creds.tenant})` });
        else if (!dir.is_leaf) {
          out.issues.push({
            field: `settings.directories.${kind}`,
            reason: `map "${dir.name}" (${id}) heeft submappen: bestanden kunnen alleen in een map zonder submappen (leaf); kies ${dirs
              .filter((d) => d.parent_id === id && d.is_leaf)
              .map((d) => `"${d.name}" (${d.id})`)
              .join(' of ') || 'een onderliggende map'}`,
          });
        }
      }
      return out;
    },
  };
}
