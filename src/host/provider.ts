/**
 * What a host (Electron or browser) needs from the kiosk core: the KioskApi itself and a way to hear
 * view changes. Hosts only carry calls; they validate parameters (api-validate.ts) and check the caller.
 */
import type { KioskApi, KioskView } from '../shared/kiosk-api.js';

export interface KioskApiProvider {
  readonly api: KioskApi;
  /** Called with every new view; returns an unsubscribe function. */
  subscribe(listener: (view: KioskView) => void): () => void;
}
