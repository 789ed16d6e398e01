/** Export, step 4 (WerkbonApp queue): invoiced werkbonnen become Afgehandeld. */
import type { LogEntryInput } from '../../src/store/log';
import { alive, checkCancelled, eachLimited } from '../support';
import type { MarkInput, MarkResult } from './contract';
import { isAuth, isRetryable, problemOf, type WerkbonContext } from './context';
import { DRAFT } from './store';

/** Werkbonnen marked Afgehandeld at once: one GET each, independent of each other. */
const MARK_CONCURRENCY = 5;

/** WerkbonApp: invoiced werkbonnen become Afgehandeld (the documented fetch with update_status). */
export function markAfgehandeld(c: WerkbonContext) {
  const { db, load, werkbonapp, log } = c;
  return async function werkbonMarkAfgehandeld(input: MarkInput): Promise<MarkResult> {
    return alive(async (ctx) => {
      const { k } = await load(input.koppelingId);
      const wa = await werkbonapp(k);
      const result: MarkResult = { marked: 0, failed: 0 };
      const done: string[] = [];
      const entries: LogEntryInput[] = [];
      let transient: unknown;
      let auth: unknown;
      await eachLimited(input.ids, MARK_CONCURRENCY, async (id) => {
        checkCancelled(ctx);
        if (auth) return;
        try {
          await wa.updateWorkorder(id, { status: 'Afgehandeld' });
          done.push(id);
          result.marked++;
        } catch (err) {
          if (isAuth(err)) {
            auth ??= err;
            return;
          }
          if (isRetryable(err)) {
            transient ??= err;
            return;
          }
          result.failed++;
          done.push(id);
          const p = problemOf(err);
          entries.push({ level: 'warn', code: 'WERKBON_NIET_AFGEHANDELD', message: `Werkbon ${id} is gefactureerd maar niet op Afgehandeld gezet: ${p.oorzaak} Oplossing: ${p.oplossing}`, details: { werkbonId: id } });
        }
      });
      if (auth) throw auth;
      await db.unstage(input.koppelingId, DRAFT, done);
      await log(input, entries);
      // Marking is idempotent: let Temporal retry the ones that hit a hiccup.
      if (transient) throw transient;
      return result;
    });
  };
}
