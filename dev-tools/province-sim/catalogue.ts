/**
 * The evaluation-content catalogue the province serves (province-profile.md "Endpoints", catalogue ⟨r2⟩):
 * items for every level, keyed by the wire `satisfaction` value, an item possibly asking for text.
 */

export type SatisfactionKey = '5' | '4' | '3' | '2' | '1';

export const SATISFACTION_KEYS: readonly SatisfactionKey[] = ['5', '4', '3', '2', '1'];

export interface CatalogueItem {
  code: string;
  text: string;
  needsText?: boolean;
}

/** A catalogue as configured; a level left out has no items. */
export interface CatalogueState {
  version: string;
  reasons: Partial<Record<SatisfactionKey, CatalogueItem[]>>;
}

/** A catalogue as served: ⟨r2⟩ every level present, a list possibly empty. */
export interface PublishedCatalogue {
  version: string;
  reasons: Record<SatisfactionKey, CatalogueItem[]>;
}

export function publishable(catalogue: CatalogueState): PublishedCatalogue {
  const reasons = {} as Record<SatisfactionKey, CatalogueItem[]>;
  for (const key of SATISFACTION_KEYS) reasons[key] = [...(catalogue.reasons[key] ?? [])];
  return { version: catalogue.version, reasons };
}

/** What a record needs of a catalogue: the codes of each level (domain-rules §3: codes are per level). */
export function codesByLevel(catalogue: CatalogueState): Record<SatisfactionKey, Set<string>> {
  const out = {} as Record<SatisfactionKey, Set<string>>;
  for (const key of SATISFACTION_KEYS) out[key] = new Set((catalogue.reasons[key] ?? []).map((i) => i.code));
  return out;
}

/**
 * Hainan-flavoured sample. Levels 1–2 keep the codes the suite has always used (501, 521, …); levels 3–5
 * carry praise and suggestion items, one of which asks for text.
 */
export const DEFAULT_PROVINCE_CATALOGUE: PublishedCatalogue = {
  version: 'hi-2026.1',
  reasons: {
    '5': [
      { code: '101', text: '办事效率高' },
      { code: '111', text: '服务态度好' },
      { code: '121', text: '一次办好' },
    ],
    '4': [
      { code: '101', text: '办事效率高' },
      { code: '111', text: '服务态度好' },
    ],
    '3': [
      { code: '301', text: '等候时间稍长' },
      { code: '391', text: '其他建议', needsText: true },
    ],
    '2': [
      { code: '501', text: '等候时间过长' },
      { code: '521', text: '态度冷淡或不耐烦' },
      { code: '901', text: '窗口开放数量不足' },
    ],
    '1': [
      { code: '501', text: '等候时间过长' },
      { code: '531', text: '存在推诿扯皮' },
      { code: '902', text: '办事流程繁琐' },
    ],
  },
};
