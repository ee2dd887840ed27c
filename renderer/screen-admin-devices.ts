/**
 * The device cards of the diagnostics screen: the pad and the ID reader (link, model, counters, last frame
 * and last error), and the reader test, which only ever shows the masked fields of the last card read.
 */
import type { AdminDeviceInfo, AdminDiagnostics } from '../src/shared/kiosk-api.js';
import { codeLine, fill, line, section, type DiagCard } from './admin-card.js';
import { secondsSince } from './admin-format.js';
import { el } from './dom.js';
import { t, type I18nKey } from './i18n.js';

function stateKey(state: string): I18nKey {
  if (state === 'connected') return 'admin.device.connected';
  if (state === 'connecting') return 'admin.device.connecting';
  return 'admin.device.disconnected';
}

function deviceBlock(device: AdminDeviceInfo, d: AdminDiagnostics): HTMLElement {
  const known = d.codes;
  const since = secondsSince(device.lastFrameAt, d.now);
  const c = device.counters;
  return el(
    'div',
    {
      className: 'admin-device',
      attrs: { 'data-testid': `device-${device.kind}`, 'data-state': device.state },
    },
    [
      el('p', { className: 'admin-device-head' }, [
        el('span', {
          className: 'admin-device-name',
          text: device.kind === 'pad' ? t('admin.device.pad') : t('admin.device.reader'),
        }),
        el('span', {
          className: `admin-badge admin-badge-${device.state === 'connected' ? 'ok' : device.state === 'connecting' ? 'wait' : 'bad'}`,
          text: t(stateKey(device.state)),
          attrs: { 'data-testid': `device-${device.kind}-state` },
        }),
      ]),
      line(
        t('admin.device.link', { transport: device.transport, path: device.path }),
        'admin-line admin-mono',
      ),
      device.model === null && device.firmware === null
        ? null
        : line(
            t('admin.device.model', {
              model: device.model ?? '?',
              firmware: device.firmware ?? '?',
              serial: device.serial ?? '?',
            }),
          ),
      device.kind === 'reader'
        ? line(
            device.samId === null ? t('admin.reader.noSam') : t('admin.reader.sam', { samId: device.samId }),
          )
        : null,
      line(
        t('admin.device.counters', {
          in: c['framesIn'] ?? 0,
          out: c['framesOut'] ?? 0,
          discarded: c['bytesDiscarded'] ?? 0,
          check: c['checkErrors'] ?? 0,
          reconnects: c['reconnects'] ?? 0,
        }),
        'admin-line admin-small',
      ),
      line(
        since === null ? t('admin.device.noFrame') : t('admin.device.lastFrame', { seconds: since }),
        'admin-line admin-small',
      ),
      // The current state's code, then the last error and when, apart (issue 16): a device that recovered
      // shows no current code but still tells what happened to it.
      device.stateCode ? codeLine(device.stateCode, known) : null,
      device.lastError === null
        ? line(t('admin.device.noError'), 'admin-line admin-small admin-muted')
        : el(
            'div',
            { className: 'admin-last-error', attrs: { 'data-testid': `device-${device.kind}-last-error` } },
            [
              line(
                t('admin.device.lastError', {
                  seconds: secondsSince(device.lastErrorAt ?? null, d.now) ?? '?',
                }),
                'admin-line admin-small',
              ),
              codeLine(device.lastError, known),
            ],
          ),
    ],
  );
}

export function createDevicesCard(): DiagCard {
  const devices = section('admin.section.devices', 'devices');
  return {
    root: devices.root,
    render(d) {
      // The signature holds what the card shows (seconds since the last frame), not the raw timestamps.
      fill(
        devices,
        [
          d.devices.map((x) => ({
            ...x,
            lastFrameAt: secondsSince(x.lastFrameAt, d.now),
            lastErrorAt: secondsSince(x.lastErrorAt ?? null, d.now),
          })),
          d.codes,
        ],
        () =>
          d.devices.length === 0
            ? [line(t('admin.device.none'), 'admin-line admin-muted')]
            : d.devices.map((device) => deviceBlock(device, d)),
      );
    },
  };
}

export function createReaderCard(): DiagCard {
  const reader = section('admin.section.reader', 'reader');
  return {
    root: reader.root,
    render(d) {
      const readerDevice = d.devices.find((x) => x.kind === 'reader') ?? null;
      fill(reader, [readerDevice?.samId ?? null, d.readerTest], () => [
        line(
          readerDevice?.samId
            ? t('admin.reader.sam', { samId: readerDevice.samId })
            : t('admin.reader.noSam'),
        ),
        d.readerTest === null
          ? line(t('admin.reader.noCard'), 'admin-line admin-muted')
          : el('p', {
              className: 'admin-line admin-card-read',
              text: t('admin.reader.lastCard', { name: d.readerTest.maskedName, id: d.readerTest.maskedId }),
              attrs: { 'data-testid': 'reader-last-card' },
            }),
      ]);
    },
  };
}
