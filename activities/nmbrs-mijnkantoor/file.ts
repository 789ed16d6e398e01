/**
 * `nmkFile` (Mijn Kantoor queue): one document from Nmbrs into the customer's leaf directory, once.
 * The content hash decides: the same content is never filed twice (ledger), different content of
 * the same run or declaration (a recalculation) becomes the next version with its own name. The
 * name is fixed before the upload, so an uncertain earlier attempt is found back by searching it.
 */
import { createHash } from 'node:crypto';
import { contentHash } from '../../src/domain/hash';
import { sepaPayments } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/documents';
import { dossierPeriod, loonaangifteName, payslipsName, sepaName, sepaPaymentDate } from '../../src/koppelingen/nmbrs-mijnkantoor/domain/naming';
import type { ActivityDeps } from '../deps';
import { alive, retrying } from '../support';
import type { Context } from './context';
import type { CycleIds, FileResult, WorkItem } from './contract';
import { documentId } from './scan';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export function fileDocument(deps: ActivityDeps, ctx: Context) {
  return async function nmkFile(input: CycleIds & { item: WorkItem }): Promise<FileResult> {
    const { item } = input;
    const l = await ctx.load(input.koppelingId);
    return alive(async () => {
      const [nmbrs, mk] = await Promise.all([ctx.nmbrs(l), ctx.mijnkantoor(l)]);
      const run = { year: item.year, number: item.runNumber ?? 0, periodStart: item.periodStart, periodEnd: item.periodEnd };
      let content: Buffer;
      let hash: string;
      let mimeType: string;
      let nameFor: (version: number) => string;
      if (item.kind === 'loonstroken') {
        content = await retrying(() => nmbrs.getPayslipsPdf(item.companyId, item.sourceId, item.year));
        hash = sha256(content);
        mimeType = 'application/pdf';
        nameFor = (v) => payslipsName(run, v);
      } else if (item.kind === 'sepa') {
        const xml = await retrying(() => nmbrs.getSepa(item.companyId, item.sourceId, item.year, sepaPaymentDate(run, l.settings.sepaPaymentDay)));
        content = Buffer.from(xml, 'utf8');
        // The payments decide, not the bytes: creation time and message id differ per download.
        hash = contentHash(sepaPayments(xml));
        mimeType = 'application/xml';
        nameFor = (v) => sepaName(run, v);
      } else {
        const xml = await retrying(() => nmbrs.getWageTaxXml(item.companyId, item.sourceId));
        content = Buffer.from(xml, 'utf8');
        hash = sha256(content);
        mimeType = 'application/xml';
        nameFor = (v) => loonaangifteName({ year: item.year, period: item.periodStart, correction: item.correction ?? false }, item.tijdvak ?? 'Month', v);
      }

      const stateId = documentId(l.k._id, item.kind, item.companyId, item.sourceId);
      const state = await ctx.documents().findOne({ _id: stateId });
      const remember = (version: number) =>
        ctx.documents().updateOne(
          { _id: stateId },
          { $set: { koppelingId: l.k._id, kind: item.kind, fingerprint: item.fingerprint, hash, version, updatedAt: new Date() } },
          { upsert: true },
        );
      const claimVersion = async (remembered: number): Promise<number> => {
        await ctx.documents().updateOne({ _id: stateId }, { $max: { claimedVersion: remembered }, $setOnInsert: { koppelingId: l.k._id, kind: item.kind } }, { upsert: true });
        const after = await ctx.documents().findOneAndUpdate({ _id: stateId }, { $inc: { claimedVersion: 1 } }, { returnDocument: 'after' });
        return after?.claimedVersion ?? remembered + 1;
      };
      if (state?.hash === hash) {
        await remember(state.version);
        return { status: 'unchanged', name: nameFor(state.version) };
      }
      const sourceKey = `${item.companyId}/${item.sourceId}#${hash.slice(0, 32)}`;
      const earlier = await deps.ledger.get(l.k._id, item.kind, sourceKey);
      // A new content takes a version number nobody used before, claimed atomically: the last
      // *remembered* version is not enough, since an upload whose activity died before it was
      // remembered (and whose content changed again before the retry) already took the next name.
      const version = typeof earlier?.meta?.version === 'number' ? earlier.meta.version : await claimVersion(state?.version ?? 0);
      const name = earlier?.reference ?? nameFor(version);
      await deps.ledger.postOnce(
        {
          tenantId: l.k.tenantId,
          koppelingId: l.k._id,
          entity: item.kind,
          sourceKey,
          contentHash: hash,
          reference: name,
          meta: { customerId: item.customerId, companyId: item.companyId, sourceId: item.sourceId, year: item.year, version, name },
        },
        {
          lookup: async (ref) => (await retrying(() => mk.searchItems(item.customerId, ref))).find((i) => i.name === ref)?.id,
          write: async () =>
            (
              await mk.upload({
                customerId: item.customerId,
                directoryId: l.settings.directories[item.kind],
                name,
                filename: name,
                mimeType,
                content,
                year: item.year,
                period: dossierPeriod(item.periodStart),
              })
            ).id,
        },
      );
      await remember(version);
      return { status: version > 1 ? 'newVersion' : 'filed', name };
    });
  };
}
