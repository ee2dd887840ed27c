/**
 * What the session side needs from the reason catalogue: the snapshot in force now. The sync side's
 * catalogue service (downloads, cache, versions) implements it; until the first download the built-in
 * catalogue from assets/ serves (domain-rules §3).
 */
import type { CatalogueView } from '../sync/catalogue.js';

export type CatalogueSnapshot = CatalogueView;

export interface CatalogueSource {
  current(): CatalogueSnapshot;
}
