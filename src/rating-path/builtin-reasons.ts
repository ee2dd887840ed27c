/**
 * What a rating's reasons become on the wire when they came from the built-in catalogue (the one in force
 * until the kiosk's first catalogue download, src/sync/catalogue.ts source `builtin`). Pure.
 *
 * domain-rules §3 ⟨r2⟩ "No invented code reaches the province": the built-in codes are the device's own,
 * and a strict province rejects them (and a `catalogueVersion` it never published) with BAD_CODE
 * (province-profile "Province-side checks"). The record is hashed and chained when it is committed, so it
 * cannot be fixed at send time: it is built conforming here, at commit time. The chosen items go as their
 * texts in `writingEvaluation` (record.ts composeWritingEvaluation) and `evalDetail` stays absent, which
 * `badNeeds: codesOrText` (the default) accepts for a 差评. With `badNeeds: codes` the province insists on a
 * code and such a 差评 cannot be made conforming: it is kept and sent as it is, and the province's answer
 * (REASON_REQUIRED) makes it a dead letter with its code, like any rejected record (profile "Kiosk
 * behaviour"). Issue 19 replaces this with texts mapped to the province's codes at send time
 * (docs/decisions/0001-builtin-catalogue-reasons-as-text.md).
 */
import type { LevelKey } from '../shared/levels.js';
import type { CatalogueView } from '../sync/catalogue.js';

/**
 * `catalogueVersion` of a record without codes when the kiosk has never known a province catalogue.
 * WHY a value at all: the profile's Record table marks optional fields as such and `catalogueVersion` is
 * not marked, so it is required (the strict test server rejects its absence, BAD_FIELD); it must not be
 * empty ("absent optional fields are left out, not written as empty"). It is read only to interpret
 * `evalDetail` codes ("`evalDetail` codes in the named catalogue version"), so on a record with none it
 * names nothing the province checks; `none` says exactly that, where the built-in version would name a
 * catalogue this province never published.
 */
export const NO_PROVINCE_CATALOGUE = 'none';

/** The built-in catalogue, as the catalogue service read it from assets/default-catalogue.json. */
export type BuiltinCatalogue = Pick<CatalogueView, 'version' | 'reasons'>;

export interface ReasonsOnWire {
  /** Province codes for `evalDetail` (empty for built-in reasons). */
  reasons: readonly string[];
  /** Built-in items' zh-CN texts, in the order chosen, for `writingEvaluation`. */
  reasonTexts: readonly string[];
  catalogueVersion: string;
}

function listsFor(level: LevelKey, builtin: BuiltinCatalogue) {
  const { dissatisfied, very_dissatisfied } = builtin.reasons;
  // The level's own list first: the same code may mean another item at another level.
  if (level === 'dissatisfied') return [dissatisfied, very_dissatisfied];
  if (level === 'very_dissatisfied') return [very_dissatisfied, dissatisfied];
  return [dissatisfied, very_dissatisfied];
}

/**
 * The reasons of a rating as they go on the wire. A rating made with a province catalogue is unchanged.
 * One made with the built-in catalogue gets no built-in code and no built-in version: its items' texts,
 * and as `catalogueVersion` the province version the kiosk knows now (it may have downloaded one while the
 * citizen was choosing), else NO_PROVINCE_CATALOGUE.
 */
export function reasonsOnWire(
  rating: { level: LevelKey; reasons: readonly string[]; catalogueVersion: string },
  builtin: BuiltinCatalogue,
  provinceVersion: string | null,
): ReasonsOnWire {
  if (rating.catalogueVersion !== builtin.version)
    return { reasons: rating.reasons, reasonTexts: [], catalogueVersion: rating.catalogueVersion };
  const lists = listsFor(rating.level, builtin);
  const reasonTexts = rating.reasons.flatMap((code) => {
    const item = lists.map((list) => list.find((r) => r.code === code)).find((r) => r !== undefined);
    // The session offers only catalogue items, so a code not found is not one the citizen saw: it is left
    // out rather than sent, since a built-in code on the wire is the defect this module exists to prevent.
    return item ? [item.text['zh-CN']] : [];
  });
  return {
    reasons: [],
    reasonTexts,
    catalogueVersion: provinceVersion ?? NO_PROVINCE_CATALOGUE,
  };
}
