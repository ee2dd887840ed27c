import { describe, expect, it } from 'vitest';
import { createAuditTrail, type AuditEvent } from '../../src/config/audit.js';
import { RecordingAudit } from './helpers.js';

describe('the audit trail helper', () => {
  it('writes each typed event through store.audit with its time, actor and action', () => {
    const sink = new RecordingAudit();
    const trail = createAuditTrail(sink, () => 1_700_000_000_000);
    const events: AuditEvent[] = [
      { type: 'config.change', source: 'admin-screen', changed: ['ui.largeType', 'link.adminToken'] },
      { type: 'config.refused', source: 'link', reason: 'bad-signature' },
      { type: 'staff.sign-in', staffId: 'S001', via: 'card' },
      { type: 'staff.sign-out', staffId: null, via: 'link' },
      { type: 'admin.pin-attempt', result: 'wrong', failures: 2, lockedUntil: null },
      { type: 'records.resend', scope: 'dead-letters', count: 3 },
      {
        type: 'records.export',
        kind: 'records',
        from: '2024-05-01',
        to: '2024-05-31',
        count: 812,
        destination: 'usb',
      },
    ];
    for (const event of events) trail.record('admin-screen', event);
    expect(sink.actions()).toEqual(events.map((e) => e.type));
    expect(sink.entries.every((e) => e.at === 1_700_000_000_000 && e.actor === 'admin-screen')).toBe(true);
    expect(sink.entries[0]?.detail).toEqual({
      source: 'admin-screen',
      changed: ['link.adminToken', 'ui.largeType'],
    });
  });

  it('copies only the declared fields, so a stray value on an event never reaches the trail', () => {
    const sink = new RecordingAudit();
    const event = {
      type: 'staff.sign-in',
      staffId: 'S001',
      via: 'card',
      certKey: '11010519491231002X',
    } as AuditEvent;
    createAuditTrail(sink).record('system', event);
    expect(JSON.stringify(sink.entries)).not.toContain('11010519491231002X');
  });
});
