/**
 * Products flow (seed 004 "Producten"): eAccounting articles → Visma.net inventory items, created or
 * updated by SKU (article number = inventory number). Simple products only: attributes,
 * categories and images are not supported, and the log says so when a source article has them.
 * The "update checkbox": off, an existing item is never overwritten, only new SKUs are created.
 */
import type { SourceArticle, TargetInventory } from './types';
import { compact, trimTo } from './payload';

export type ProductAction = { action: 'create' } | { action: 'update' } | { action: 'skip'; reason: string };

/** The SKU as both systems key it: trimmed, compared case-insensitively. */
export function skuOf(article: Pick<SourceArticle, 'Number'>): string {
  return String(article.Number ?? '').trim();
}

export const skuKey = (sku: string) => sku.trim().toUpperCase();

/**
 * Create, update or leave alone. `exists`: Visma.net has an item with this SKU; `changed`: the
 * payload differs from what was last sent for it.
 */
export function planProduct(opts: { exists: boolean; update: boolean; changed: boolean }): ProductAction {
  if (!opts.exists) return { action: 'create' };
  if (!opts.update) return { action: 'skip', reason: 'bestaat al in Visma.net en "bijwerken" staat uit: het artikel wordt niet overschreven' };
  if (!opts.changed) return { action: 'skip', reason: 'ongewijzigd sinds de vorige synchronisatie' };
  return { action: 'update' };
}

const UNSUPPORTED: Array<{ re: RegExp; label: string }> = [
  { re: /image|picture|photo|afbeelding/i, label: 'afbeeldingen' },
  { re: /attribute|kenmerk|propert|variant|option/i, label: 'kenmerken/attributen' },
  { re: /categor|label/i, label: 'categorieën' },
];

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** What the article carries that Visma.net does not get (simple products only), or undefined. */
export function unsupportedFeatures(article: SourceArticle): string | undefined {
  const found = new Set<string>();
  for (const [k, v] of Object.entries(article)) {
    if (!present(v)) continue;
    for (const u of UNSUPPORTED) if (u.re.test(k)) found.add(u.label);
  }
  if (!found.size) return undefined;
  return `Artikel ${skuOf(article)} heeft ${[...found].join(', ')}; alleen eenvoudige producten worden ondersteund, dus die gaan niet mee naar Visma.net.`;
}

/** EAN/GTIN: the first barcode, whichever shape eAccounting gives it. */
export function eanOf(article: SourceArticle): string | undefined {
  const first = article.Barcodes?.[0];
  if (!first) return undefined;
  return typeof first === 'string' ? first : first.Barcode ?? first.Value ?? undefined;
}

/**
 * What the koppeling sends when the datamapper maps nothing else: name, SKU, description, the
 * price excl. btw (incl. btw: map GrossPrice in the datamapper), the unit.
 */
export function defaultInventory(article: SourceArticle): TargetInventory {
  const price = article.NetPrice ?? article.GrossPrice;
  const unit = trimTo(article.UnitAbbreviation ?? article.UnitName, 10);
  return compact({
    inventoryNumber: skuOf(article),
    description: trimTo(article.Name, 60) ?? skuOf(article),
    body: trimTo(article.NameEnglish ? `${article.Name}\n${article.NameEnglish}` : article.Name, 4000),
    status: article.IsActive ? 'Active' : 'Inactive',
    type: article.IsServiceArticle ? 'ServiceItem' : article.IsStock ? 'FinishedGoodItem' : 'NonStockItem',
    defaultPrice: typeof price === 'number' ? Math.round(price * 100) / 100 : undefined,
    baseUnit: unit,
    salesUnit: unit,
  }) as TargetInventory;
}
