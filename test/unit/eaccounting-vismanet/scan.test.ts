/** Which source items a scan stages again: the rule that keeps a quiet cycle free of Visma.net calls. */
import { needsPush } from '../../../activities/eaccounting-vismanet/scan';
import type { ItemDoc } from '../../../activities/eaccounting-vismanet/store';

const item = (x: Partial<ItemDoc>): ItemDoc => ({ _id: 'k|orders|o1', koppelingId: 'k', flow: 'orders', key: 'o1', state: 'done', hash: 'h1', updatedAt: new Date(), ...x });

describe('needsPush', () => {
  it('stages what is new, waiting, asked to be replayed, or failed for a passing reason', () => {
    expect(needsPush(undefined, 'h1', true)).toBe(true);
    expect(needsPush(item({ state: 'waiting' }), 'h1', true)).toBe(true);
    expect(needsPush(item({ replay: true }), 'h1', true)).toBe(true);
    expect(needsPush(item({ state: 'failed', stuck: false }), 'h1', true)).toBe(true);
  });
  it('leaves what is done and unchanged, and a stuck failure until the source changes', () => {
    expect(needsPush(item({}), 'h1', false)).toBe(false);
    expect(needsPush(item({ state: 'failed', stuck: true }), 'h1', false)).toBe(false);
    expect(needsPush(item({ state: 'failed', stuck: true }), 'h2', false)).toBe(true);
  });
  it('sends a changed product or customer again, but an order only once', () => {
    expect(needsPush(item({}), 'h2', false)).toBe(true);
    expect(needsPush(item({}), 'h2', true)).toBe(false);
    expect(needsPush(item({ state: 'skipped' }), 'h2', true)).toBe(false);
  });
});
