/**
 * 设备待配置 (window-link.md "Setup, demo and tests" r2): an installed device before its first
 * provisioning shows who it is (device id, key fingerprint, which the hall checks when it registers the
 * key: hall-plane.md "Registry") and the two ways to provision it. Nothing here can be pressed.
 */
import type { KioskView, SetupView } from '../src/shared/kiosk-api.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import type { MountedScreen } from './screen.js';

function refusalText(setup: SetupView): string {
  const refusal = setup.lastRefusal;
  if (refusal === null) return '';
  return t('setup.refused', { reason: refusal.reason, fields: refusal.fields.join(', ') });
}

export function mountSetup(view: KioskView): MountedScreen {
  const deviceId = el('dd', { className: 'setup-value', attrs: { 'data-testid': 'setup-device-id' } });
  const fingerprint = el('dd', {
    className: 'setup-value setup-fingerprint',
    attrs: { 'data-testid': 'setup-fingerprint' },
  });
  const usb = el('li', { className: 'setup-how' });
  const link = el('li', { className: 'setup-how' });
  const refused = el('p', { className: 'setup-refused', attrs: { role: 'alert' } });
  const root = el('main', { className: 'screen screen-setup', attrs: { 'data-screen': 'setup' } }, [
    el('h1', { className: 'message-title', text: t('setup.title') }),
    el('p', { className: 'message-body', text: t('setup.intro') }),
    el('dl', { className: 'setup-identity' }, [
      el('dt', { text: t('setup.deviceId') }),
      deviceId,
      el('dt', { text: t('setup.fingerprint') }),
      fingerprint,
    ]),
    el('p', { className: 'setup-hint', text: t('setup.fingerprintHint') }),
    el('h2', { className: 'setup-how-title', text: t('setup.howTitle') }),
    el('ol', { className: 'setup-how-list' }, [usb, link]),
    refused,
  ]);
  const update = (next: KioskView): void => {
    const setup = next.setup;
    if (!setup) return;
    setText(deviceId, setup.deviceId);
    setText(fingerprint, setup.fingerprint);
    setText(usb, t('setup.howUsb', { file: setup.usbFileName }));
    setText(link, t('setup.howLink', { address: setup.provisionAddress, file: setup.adminTokenFile }));
    setText(refused, refusalText(setup));
    refused.hidden = setup.lastRefusal === null;
  };
  update(view);
  return { root, update, dispose() {} };
}
