/**
 * `evPush` (Visma.net queue): one batch of staged items of one flow. Every Visma.net write goes
 * through the ledger's postOnce, with the uncertain-outcome lookup by SKU (items), e-mail
 * (customers) or the order's external reference (sales orders): a retried, crashed or restarted
 * attempt never writes twice. A 429 waits its Retry-After. Per item one activity-log entry (what
 * came from eAccounting, what was pushed, Visma.net's answer); a failed item tells the tenant.
 */
import { contentHash } from '../../src/domain/hash';
import { composeCustomer, composeOrder, composeProduct } from '../../src/koppelingen/eaccounting-vismanet/domain/compose';
import { customerEmail, debtorKind, DUPLICATE_EMAIL_FIX, mapPaymentTerms, matchCustomer } from '../../src/koppelingen/eaccounting-vismanet/domain/customers';
import { chooseDebtor, orderReference, orderSkus, planOrder } from '../../src/koppelingen/eaccounting-vismanet/domain/orders';
import { planProduct, skuKey, skuOf, unsupportedFeatures } from '../../src/koppelingen/eaccounting-vismanet/domain/products';
import type { FoundCustomer, SourceArticle, SourceCustomer, SourceOrder, SourceTermsOfPayment } from '../../src/koppelingen/eaccounting-vismanet/domain/types';
import type { ActivityLogInput } from '../../src/store/activity-log';
import type { VismanetClient, VismanetCustomer, VismanetSalesOrder } from '../../src/systems/vismanet/client';
import { alive, checkCancelled, heartbeat } from '../support';
import { emptyPush, ENTITY, type EvFlow, type EvPushInput, type EvPushResult } from './contract';
import { honouringRetryAfter, isAuth, isStuck, ItemProblem, problemOf, type EvContext, type Loaded } from './context';
import type { ItemDoc, ItemState, StagedItem } from './store';

/** Items of one batch handled at once (each waits on Visma.net most of the time). */
export const ITEM_LANES = 4;

type Status = 'created' | 'updated' | 'skipped' | 'waiting';

interface Outcome {
  status: Status;
  state: ItemState;
  message?: string;
  pushed?: unknown;
  answer?: unknown;
  targetId?: string;
  pushedHash?: string;
  waitingFor?: string[];
}

const DATAMAPPER_FIX = 'Pas de datamapper van deze flow aan (POST /koppelingen/:id/datamapper/preview toont het resultaat); het item gaat mee zodra de bron of de mapping wijzigt, of met een replay.';

function datamapperProblem(flow: EvFlow, errors: { field: string; reason: string }[]): ItemProblem {
  return new ItemProblem(`De datamapper van ${flow} gaf een fout: ${errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}.`, DATAMAPPER_FIX, { errors });
}

const orderIdOf = (o: VismanetSalesOrder) => o.orderId;
const found = (c: VismanetCustomer): FoundCustomer => ({ number: c.number, name: c.name, email: c.mainContact?.email ?? undefined });

/** What one push activity remembers across its items: the SKUs Visma.net has, the customers per e-mail. */
class Session {
  private readonly skus = new Map<string, Promise<boolean>>();
  private readonly customers = new Map<string, Promise<{ number: string; action: 'created' | 'updated' | 'unchanged'; pushed?: unknown }>>();

  constructor(
    readonly c: EvContext,
    readonly l: Loaded,
    readonly vn: VismanetClient,
    readonly input: EvPushInput,
  ) {}

  private ids(entity: string, sourceKey: string, reference: string, hash: string, meta: Record<string, unknown>) {
    return { tenantId: this.l.k.tenantId, koppelingId: this.l.k._id, entity, sourceKey, reference, contentHash: hash, meta: { ...meta, cycleNo: this.input.cycleNo } };
  }

  postOnce(entity: string, sourceKey: string, reference: string, hash: string, meta: Record<string, unknown>, ops: { lookup: (ref: string) => Promise<string | undefined>; write: () => Promise<string> }) {
    return honouringRetryAfter(() => this.c.deps.ledger.postOnce(this.ids(entity, sourceKey, reference, hash, meta), ops));
  }

  /** Whether Visma.net has the SKU: an item this koppeling created counts without asking. */
  inventoryExists(sku: string): Promise<boolean> {
    const key = skuKey(sku);
    let hit = this.skus.get(key);
    if (!hit) {
      hit = (async () => {
        const mine = await this.c.deps.ledger.get(this.l.k._id, ENTITY.inventory, key);
        if (mine?.status === 'posted') return true;
        return !!(await honouringRetryAfter(() => this.vn.getInventoryItem(sku)));
      })();
      hit.catch(() => this.skus.delete(key));
      this.skus.set(key, hit);
    }
    return hit;
  }

  markKnown(sku: string): void {
    this.skus.set(skuKey(sku), Promise.resolve(true));
  }

  /** Find by e-mail, then create or update; two or more with the address are reported, never guessed. Once per e-mail per activity. */
  ensureCustomer(cu: SourceCustomer, terms: SourceTermsOfPayment[]): Promise<{ number: string; action: 'created' | 'updated' | 'unchanged'; pushed?: unknown }> {
    const email = customerEmail(cu);
    if (!email) {
      return Promise.reject(
        new ItemProblem(`Klant ${cu.Name || cu.Id} heeft geen e-mailadres; de koppeling zoekt klanten in Visma.net op e-mailadres.`, 'Vul het e-mailadres van de klant in Visma eAccounting in, of stel een standaarddebiteur in bij de koppeling.'),
      );
    }
    let hit = this.customers.get(email);
    if (!hit) {
      hit = this.upsertCustomer(cu, terms, email);
      hit.catch(() => this.customers.delete(email));
      this.customers.set(email, hit);
    }
    return hit;
  }

  private async upsertCustomer(cu: SourceCustomer, terms: SourceTermsOfPayment[], email: string) {
    const s = this.l.settings;
    const comp = composeCustomer(cu, terms, s);
    if (comp.errors.length) throw datamapperProblem('customers', comp.errors);
    const payload = comp.payload;
    const hash = contentHash(payload);
    const meta = { email, kind: debtorKind(cu), source: cu.Id };
    const mine = await this.c.deps.ledger.get(this.l.k._id, ENTITY.customer, email);
    let number = mine?.status === 'posted' ? mine.targetId : undefined;
    if (!number) {
      const match = matchCustomer(email, (await honouringRetryAfter(() => this.vn.findCustomersByEmail(email))).map(found));
      if (match.kind === 'conflict') throw new ItemProblem(match.message, DUPLICATE_EMAIL_FIX, { email, numbers: match.numbers });
      if (match.kind === 'update') number = match.number;
      else {
        const res = await this.postOnce(ENTITY.customer, email, email, hash, meta, {
          lookup: async () => {
            const again = matchCustomer(email, (await this.vn.findCustomersByEmail(email)).map(found));
            return again.kind === 'update' ? again.number : undefined;
          },
          write: async () => (await this.vn.createCustomer(payload)).number,
        });
        // What was just created is what would be sent as an update: remember it as sent.
        await this.postOnce(ENTITY.customerUpdate, `${res.targetId}#${hash}`, res.targetId, hash, meta, { lookup: async () => undefined, write: async () => res.targetId });
        return { number: res.targetId, action: 'created' as const, pushed: payload };
      }
    }
    if (!s.customers.update) return { number, action: 'unchanged' as const };
    const target = number;
    const res = await this.postOnce(ENTITY.customerUpdate, `${target}#${hash}`, target, hash, meta, {
      lookup: async () => undefined, // a PUT of the same content twice is harmless
      write: async () => {
        await this.vn.updateCustomer(target, payload);
        return target;
      },
    });
    return { number: target, action: res.outcome === 'already' ? ('unchanged' as const) : ('updated' as const), pushed: payload };
  }
}

async function pushProduct(sess: Session, doc: StagedItem, item: ItemDoc | undefined): Promise<Outcome> {
  const s = sess.l.settings;
  const a = doc.data.article as SourceArticle;
  const sku = skuOf(a);
  const { payload, errors } = composeProduct(a, s);
  if (errors.length) throw datamapperProblem('products', errors);
  const pushedHash = contentHash(payload);
  const note = unsupportedFeatures(a);
  const exists = await sess.inventoryExists(sku);
  const plan = planProduct({ exists, update: s.products.update, changed: item?.pushedHash !== pushedHash });
  const meta = { sku, article: a.Id };
  if (plan.action === 'skip') return { status: 'skipped', state: 'done', message: `Artikel ${sku}: ${plan.reason}.${note ? ` ${note}` : ''}`, pushedHash: item?.pushedHash };
  if (plan.action === 'create') {
    const res = await sess.postOnce(ENTITY.inventory, doc.key, sku, pushedHash, meta, {
      lookup: async () => ((await sess.vn.getInventoryItem(sku)) ? sku : undefined),
      write: async () => (await sess.vn.createInventoryItem(payload)).inventoryNumber || sku,
    });
    sess.markKnown(sku);
    return { status: 'created', state: 'done', pushed: payload, answer: { inventoryNumber: res.targetId, outcome: res.outcome }, targetId: res.targetId, pushedHash, message: `Artikel ${sku} aangemaakt in Visma.net.${note ? ` ${note}` : ''}` };
  }
  const res = await sess.postOnce(ENTITY.inventoryUpdate, `${doc.key}#${pushedHash}`, sku, pushedHash, meta, {
    lookup: async () => undefined, // a PUT of the same content twice is harmless
    write: async () => {
      await sess.vn.updateInventoryItem(sku, payload);
      return sku;
    },
  });
  return { status: 'updated', state: 'done', pushed: payload, answer: { inventoryNumber: res.targetId, outcome: res.outcome }, targetId: sku, pushedHash, message: `Artikel ${sku} bijgewerkt in Visma.net.${note ? ` ${note}` : ''}` };
}

async function pushCustomer(sess: Session, doc: StagedItem): Promise<Outcome> {
  const cu = doc.data.customer as SourceCustomer;
  const r = await sess.ensureCustomer(cu, (doc.data.terms as SourceTermsOfPayment[]) ?? []);
  const kind = debtorKind(cu) === 'business' ? 'bedrijfsdebiteur' : 'persoonsdebiteur';
  const verb = { created: 'aangemaakt', updated: 'bijgewerkt', unchanged: 'ongewijzigd' }[r.action];
  return {
    status: r.action === 'created' ? 'created' : r.action === 'updated' ? 'updated' : 'skipped',
    state: 'done',
    pushed: r.pushed,
    answer: { number: r.number },
    targetId: r.number,
    message: `Klant ${cu.Name} (${customerEmail(cu)}) als ${kind} ${verb} in Visma.net: klantnummer ${r.number}.`,
  };
}

async function pushOrder(sess: Session, doc: StagedItem): Promise<Outcome> {
  const s = sess.l.settings;
  const order = doc.data.order as SourceOrder;
  const customer = (doc.data.customer as SourceCustomer | null) ?? undefined;
  const terms = (doc.data.terms as SourceTermsOfPayment[]) ?? [];
  const articleNumbers = new Map(Object.entries((doc.data.articleNumbers as Record<string, string>) ?? {}));
  const reference = orderReference(order);
  const ledger = sess.c.deps.ledger;
  const mine = await ledger.get(sess.l.k._id, ENTITY.salesOrder, order.Id);
  let orderId = mine?.status === 'posted' ? mine.targetId : undefined;
  let pushed: unknown;
  let customerNumber: string | undefined;

  if (!orderId) {
    // Not (certainly) ours: an order with this reference in Visma.net was put there before, by hand or by another run.
    if (!mine) {
      const there = await honouringRetryAfter(() => sess.vn.findSalesOrdersByReference(reference));
      if (there.length) {
        return { status: 'skipped', state: 'skipped', answer: { orders: there.map(orderIdOf) }, targetId: orderIdOf(there[0]), message: `Order ${order.Number} overgeslagen: staat al in Visma.net (referentie ${reference}, order ${orderIdOf(there[0])}).` };
      }
    }
    if (!customer) throw new ItemProblem(`De klant van order ${order.Number} bestaat niet (meer) in Visma eAccounting.`, 'Controleer de order in Visma eAccounting; met een replay gaat hij opnieuw.');
    const debtor = chooseDebtor(customer, s.defaultDebtor);
    if (debtor.use === 'none') throw new ItemProblem(`Order ${order.Number}: ${debtor.reason}.`, 'Vul het e-mailadres van de klant in Visma eAccounting in, of stel een standaarddebiteur in bij de koppeling.');
    customerNumber = debtor.use === 'default' ? debtor.number : (await sess.ensureCustomer(customer, terms)).number;
    const { skus } = orderSkus(order, articleNumbers);
    const known = new Set<string>();
    for (const sku of skus) if (await sess.inventoryExists(sku)) known.add(skuKey(sku));
    const plan = planOrder({
      order,
      exists: false,
      knownSkus: known,
      articleNumbers,
      customerNumber,
      settings: s.orders,
      payment: mapPaymentTerms(customer.TermsOfPaymentId, terms, s),
    });
    if (plan.action === 'wait') return { status: 'waiting', state: 'waiting', waitingFor: plan.missingSkus, message: `Order ${order.Number} wacht: ${plan.missingSkus.length === 1 ? 'product' : 'producten'} ${plan.missingSkus.join(', ')} ${plan.missingSkus.length === 1 ? 'bestaat' : 'bestaan'} nog niet in Visma.net. De andere orders gaan door; deze gaat mee zodra de producten bestaan.` };
    if (plan.action === 'skip') return { status: 'skipped', state: 'skipped', message: plan.reason };
    const comp = composeOrder(plan, order, customer, s, articleNumbers);
    if (comp.errors.length) throw datamapperProblem('orders', comp.errors);
    pushed = comp.payload;
    const res = await sess.postOnce(ENTITY.salesOrder, order.Id, reference, contentHash(comp.payload), { order: order.Number, customer: customerNumber }, {
      lookup: async (ref) => {
        const there = await sess.vn.findSalesOrdersByReference(ref);
        return there.length ? orderIdOf(there[0]) : undefined;
      },
      write: async () => (await sess.vn.createSalesOrder(comp.payload)).id,
    });
    orderId = res.targetId;
  }

  let confirmed = false;
  if (s.orders.confirm) {
    const id = orderId;
    await sess.postOnce(ENTITY.confirm, order.Id, reference, contentHash(['confirm', id]), { order: order.Number, salesOrder: id }, {
      lookup: async () => {
        const got = await sess.vn.getSalesOrder(id);
        return got && got.order.status && got.order.status !== 'Hold' ? id : undefined;
      },
      write: async () => {
        await sess.vn.confirmSalesOrder(id);
        return id;
      },
    });
    confirmed = true;
  }
  return {
    status: 'created',
    state: 'done',
    pushed,
    answer: { salesOrder: orderId, confirmed, customer: customerNumber },
    targetId: orderId,
    message: `Order ${order.Number} aangemaakt in Visma.net als ${orderId}${confirmed ? ' en bevestigd' : ''} (referentie ${reference}).`,
  };
}

export function push(c: EvContext) {
  return async function evPush(input: EvPushInput): Promise<EvPushResult> {
    return alive(async (actx) => {
      const l = await c.load(input.koppelingId);
      const vn = await c.vismanet(l, actx?.cancellationSignal);
      const sess = new Session(c, l, vn, input);
      const staged = new Map((await c.db.staged(l.k._id, input.flow, input.keys)).map((d) => [d.key, d]));
      const items = await c.db.itemsByKeys(l.k._id, input.flow, input.keys);
      const out = emptyPush();
      const log: ActivityLogInput[] = [];
      let authFailure: unknown;

      const handle = async (key: string) => {
        const doc = staged.get(key);
        if (!doc) return; // pushed meanwhile (an earlier attempt of this batch) and restaged away
        const source = doc.data.order ?? doc.data.article ?? doc.data.customer;
        try {
          const o = input.flow === 'products' ? await pushProduct(sess, doc, items.get(key)) : input.flow === 'customers' ? await pushCustomer(sess, doc) : await pushOrder(sess, doc);
          if (o.status === 'created') out.created++;
          else if (o.status === 'updated') out.updated++;
          else if (o.status === 'skipped') out.skipped++;
          else out.waiting++;
          await c.db.setItem(l.k._id, input.flow, key, { state: o.state, hash: doc.hash, ...(o.pushedHash ? { pushedHash: o.pushedHash } : {}), ...(o.targetId ? { targetId: o.targetId } : {}), message: o.message });
          log.push(c.entry(input, input.flow, key, { status: o.status === 'waiting' ? 'waiting' : o.status === 'skipped' ? 'skipped' : 'ok', source, pushed: o.pushed, answer: o.answer, message: o.message }));
          if (o.status === 'waiting') {
            await c.notify({
              tenantId: l.k.tenantId,
              koppelingId: l.k._id,
              kind: 'waiting',
              dedupeKey: `${l.k._id}|${input.flow}|${key}|wait|${(o.waitingFor ?? []).join(',')}`,
              message: o.message ?? '',
              flow: input.flow,
              itemKey: key,
              state: 'waiting',
            });
          }
        } catch (err) {
          if (isAuth(err)) {
            authFailure ??= err;
            return;
          }
          const p = problemOf(err);
          const message = `${p.oorzaak} Oplossing: ${p.oplossing}`;
          out.failed++;
          if (out.errors.length < 3) out.errors.push({ type: err instanceof ItemProblem ? 'InvalidData' : ((err as { type?: string }).type ?? 'Transient'), system: 'vismanet', oorzaak: p.oorzaak, oplossing: p.oplossing });
          await c.db.setItem(l.k._id, input.flow, key, { state: 'failed', hash: doc.hash, stuck: isStuck(err), message });
          log.push(
            c.entry(input, input.flow, key, {
              status: 'failed',
              source,
              answer: { error: p.oorzaak, ...(err instanceof ItemProblem && err.details ? err.details : {}), ...((err as { field?: string }).field ? { field: (err as { field?: string }).field } : {}) },
              message,
            }),
          );
          await c.notify({ tenantId: l.k.tenantId, koppelingId: l.k._id, kind: 'item_failed', dedupeKey: `${l.k._id}|${input.flow}|${key}|${contentHash(p.oorzaak).slice(0, 16)}`, message, flow: input.flow, itemKey: key, state: 'failed' });
        }
      };

      try {
        let next = 0;
        const lane = async () => {
          while (next < input.keys.length && !authFailure) {
            checkCancelled(actx);
            heartbeat();
            await handle(input.keys[next++]);
          }
        };
        await Promise.all(Array.from({ length: Math.min(ITEM_LANES, input.keys.length) }, lane));
      } finally {
        await c.record(l, log);
      }
      if (authFailure) throw authFailure;
      return out;
    });
  };
}
