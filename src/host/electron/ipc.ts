/**
 * The KioskApi over Electron IPC: one invoke channel carrying (method, params), checked and validated
 * in the main process, and one push channel (VIEW_CHANNEL) for views.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { dispatchApiCall, type ApiCallOutcome } from '../api-validate.js';
import type { KioskApiProvider } from '../provider.js';
import { VIEW_CHANNEL } from '../../shared/kiosk-api.js';
import { HOST_ERRORS } from '../../shared/errors/index.js';
import { isSameOrigin } from './harden.js';

/** The one invoke channel; preload.cts repeats this literal (it may import nothing but electron). */
export const KIOSK_CALL_CHANNEL = 'kiosk:call';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/**
 * Checklist #17 "Validate the sender of all IPC messages": the call must come from the main frame of the
 * kiosk window's own contents, showing a page of the app origin. A subframe, another window, a page that
 * navigated elsewhere, or a frame already gone (senderFrame null) is refused.
 */
export function kioskSenderCheck(getKioskContents: () => WebContents | null, appOrigin: string): SenderCheck {
  return (event) => {
    const contents = getKioskContents();
    const frame = event.senderFrame;
    if (contents === null || frame === null) return false;
    if (event.sender !== contents || frame.parent !== null) return false;
    return isSameOrigin(frame.url, appOrigin);
  };
}

/** Registers the invoke handler; returns a function that removes it (used at shutdown). */
export function registerKioskIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  provider: KioskApiProvider,
  isTrustedSender: SenderCheck,
): () => void {
  ipcMain.handle(
    KIOSK_CALL_CHANNEL,
    async (event, method: unknown, params: unknown): Promise<ApiCallOutcome> => {
      if (!isTrustedSender(event)) {
        return { ok: false, code: HOST_ERRORS.forbiddenSender.code, message: 'caller is not the kiosk page' };
      }
      // Every parameter is validated (E8001) before it reaches the core.
      return dispatchApiCall(provider.api, method, params);
    },
  );
  return () => ipcMain.removeHandler(KIOSK_CALL_CHANNEL);
}

/** Pushes every new view to the kiosk page; returns the unsubscribe function. */
export function forwardViews(provider: KioskApiProvider, contents: WebContents): () => void {
  return provider.subscribe((view) => {
    if (!contents.isDestroyed()) contents.send(VIEW_CHANNEL, view);
  });
}
