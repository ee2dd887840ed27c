/**
 * A KioskApiProvider whose target can change while the host keeps running: setup mode hands over to the
 * provisioned kiosk in place (browser host), so the open page and its WebSocket stay as they are. View
 * versions keep increasing across the switch, because the renderer ignores a view older than the one it
 * shows (KioskView.version) and the new core counts from 1 again.
 */
import type { KioskApiProvider } from '../host/provider.js';
import { KIOSK_API_METHODS, type KioskApi, type KioskView } from '../shared/kiosk-api.js';

export interface SwitchableProvider {
  readonly provider: KioskApiProvider;
  /** Moves every caller and listener to `next` and pushes its view at once. */
  switchTo(next: KioskApiProvider): Promise<void>;
}

export function createSwitchableProvider(initial: KioskApiProvider): SwitchableProvider {
  let target = initial;
  let offset = 0;
  let lastVersion = 0;
  const listeners = new Set<(view: KioskView) => void>();
  const shift = (view: KioskView): KioskView => {
    const shifted = offset === 0 ? view : { ...view, version: view.version + offset };
    lastVersion = Math.max(lastVersion, shifted.version);
    return shifted;
  };
  const forward = (view: KioskView) => {
    const shifted = shift(view);
    for (const listener of listeners) listener(shifted);
  };
  let unsubscribe = target.subscribe(forward);

  const api = Object.fromEntries(
    KIOSK_API_METHODS.map((method) => [
      method,
      (...args: unknown[]) => (target.api[method] as (...a: unknown[]) => Promise<unknown>)(...args),
    ]),
  ) as unknown as KioskApi;
  api.getView = async () => shift(await target.api.getView());

  return {
    provider: {
      api,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    async switchTo(next) {
      unsubscribe();
      target = next;
      const first = await next.api.getView();
      offset = lastVersion + 1 - first.version;
      unsubscribe = next.subscribe(forward);
      forward(first);
    },
  };
}
