/**
 * The end of the week: the province's records against the expected ledger, service by service, and the one
 * table of counts the scenario prints. Pure. Each problem names the issue 15 item it most likely shows, so a
 * failing run reads as a list of what is still wrong.
 */
import type { ExpectedService, ExpectedWeek } from './expected-ledger.js';

/** The fields of a province record the reconciliation reads (province-profile.md "Record"). */
export interface ProvinceRecord {
  projectNo: string;
  deviceId: string;
  satisfaction: string;
  isDefault: string;
  assessNumber: string;
  proStatus?: string;
  proManager?: string;
  staffId?: string;
  userPageType?: string;
  certKey?: string;
  userName?: string;
  mobile?: string;
  handleUserName?: string;
  handleUserPageType?: string;
  handleUserPageCode?: string;
  evalDetail?: string;
  writingEvaluation?: string;
}

export type ProblemKind =
  | 'missing'
  | 'unexpected'
  | 'duplicate'
  | 'wrong-level'
  | 'wrong-default-flag'
  | 'wrong-clerk'
  | 'wrong-document-code'
  | 'identity-on-default'
  | 'identity-wrong'
  | 'reason-missing'
  | 'abandoned-count';

export interface Problem {
  kind: ProblemKind;
  /** The plan's service id, or the record's projectNo for an unexpected record. */
  subject: string;
  detail: string;
  /** The issue 15 item this most likely shows (1–9), or null. */
  item: number | null;
}

/** Where a device's side of the week stands beyond the records (kiosk diagnostics, province ledger). */
export interface DeviceTally {
  /** Abandoned 差评 the kiosk counts (`abandonedBad` of its daily summaries, as its heartbeat reports it). */
  abandonedReported: number | null;
  /** Records the province refused (kiosk dead letters, or the province's own rejection log). */
  rejected: number;
  /** Records the kiosk made (its last chain seq) that the province did not keep as new. */
  duplicates: number;
  chainBreaks: number;
}

export interface Reconciliation {
  problems: Problem[];
  table: string;
}

const IDENTITY_FIELDS = [
  'userName',
  'userPageType',
  'certKey',
  'mobile',
  'handleUserName',
  'handleUserPageType',
  'handleUserPageCode',
] as const;

/**
 * True when `stored` is `expected`, or `expected` masked (the province test server keeps identities masked,
 * domain-rules §5): every character shown stands where it stands in `expected`, the others are `*`.
 */
export function sameOrMasked(stored: string | undefined, expected: string): boolean {
  if (stored === undefined) return false;
  if (stored === expected) return true;
  const s = Array.from(stored);
  const e = Array.from(expected);
  if (!s.includes('*') || s[0] !== e[0]) return false;
  if (s.length === e.length) return s.every((ch, i) => ch === '*' || ch === e[i]);
  // A name masked to its first character and one star (`张*`), whatever its length.
  return s.length === 2 && s[1] === '*';
}

const key = (deviceId: string, projectNo: string) => `${deviceId}\u0000${projectNo}`;

function likelyItem(kind: ProblemKind, expected: ExpectedService | null): number | null {
  switch (kind) {
    case 'wrong-clerk':
      return 2;
    case 'identity-on-default':
      return 4;
    case 'wrong-document-code':
      return 5;
    case 'identity-wrong':
      return 5;
    case 'missing': {
      if (!expected) return null;
      const s = expected.service;
      if (s.action.kind === 'power-cut') return 3;
      if (s.projectNo === null && s.day > 1) return 1;
      if (expected.outcome === 'default' && s.citizen) return 4;
      return null;
    }
    default:
      return null;
  }
}

function checkRecord(expected: ExpectedService, r: ProvinceRecord): Array<[ProblemKind, string]> {
  const out: Array<[ProblemKind, string]> = [];
  const isDefault = expected.outcome === 'default' ? '1' : '0';
  if (r.satisfaction !== expected.satisfaction)
    out.push(['wrong-level', `satisfaction ${r.satisfaction}, expected ${expected.satisfaction}`]);
  if (r.isDefault !== isDefault)
    out.push(['wrong-default-flag', `isDefault ${r.isDefault}, expected ${isDefault}`]);
  if (r.staffId !== expected.clerk.staffId || r.proManager !== expected.clerk.name)
    out.push([
      'wrong-clerk',
      `clerk ${r.staffId ?? '∅'}/${r.proManager ?? '∅'}, expected ${expected.clerk.staffId}/${expected.clerk.name} (${expected.clerkFrom})`,
    ]);
  const present = IDENTITY_FIELDS.filter((f) => r[f] !== undefined);
  if (expected.outcome === 'default') {
    if (present.length > 0) out.push(['identity-on-default', `default carries ${present.join(', ')}`]);
  } else if (expected.identity === null) {
    if (present.length > 0) out.push(['identity-wrong', `anonymous rating carries ${present.join(', ')}`]);
  } else {
    const id = expected.identity;
    if (r.userPageType !== id.userPageType)
      out.push([
        'wrong-document-code',
        `userPageType ${r.userPageType ?? '∅'}, expected ${id.userPageType} (${expected.service.citizen?.person.kind} via ${expected.service.citizen?.via})`,
      ]);
    if (!sameOrMasked(r.certKey, id.certKey) || !sameOrMasked(r.userName, id.userName))
      out.push([
        'identity-wrong',
        `identity ${r.certKey === undefined ? 'absent' : 'differs'} (${expected.service.citizen?.person.kind} via ${expected.service.citizen?.via})`,
      ]);
  }
  if (Number(r.satisfaction) <= 2 && expected.outcome === 'rated' && !r.evalDetail && !r.writingEvaluation)
    out.push(['reason-missing', '差评 without evalDetail or writingEvaluation']);
  return out;
}

const TABLE_COLUMNS = [
  'window',
  'services reported',
  'rated (expected/at province)',
  'defaults (expected/at province)',
  'abandoned (expected/kiosk count)',
  'missing',
  'unexpected',
  'wrong level',
  'wrong clerk',
  'wrong document code',
  'identity on default',
  'rejected',
  'duplicates',
  'chain breaks',
] as const;

export function reconcile(
  week: ExpectedWeek,
  records: readonly ProvinceRecord[],
  tallies: Readonly<Record<string, DeviceTally>>,
  windowOf: Readonly<Record<string, string>>,
): Reconciliation {
  const problems: Problem[] = [];
  const byKey = new Map<string, ProvinceRecord[]>();
  for (const r of records) {
    const k = key(r.deviceId, r.projectNo);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const expectedKeys = new Set<string>();
  const counts = new Map<string, Record<string, number>>();
  const count = (deviceId: string, column: string, by = 1) => {
    const row = counts.get(deviceId) ?? {};
    row[column] = (row[column] ?? 0) + by;
    counts.set(deviceId, row);
  };
  const add = (
    kind: ProblemKind,
    subject: string,
    detail: string,
    expected: ExpectedService | null,
    deviceId: string,
  ) => {
    problems.push({ kind, subject, detail, item: likelyItem(kind, expected) });
    count(deviceId, kind);
  };

  for (const expected of week.services) {
    const k = key(expected.deviceId, expected.projectNo);
    expectedKeys.add(k);
    const found = byKey.get(k) ?? [];
    count(expected.deviceId, 'reported');
    if (expected.outcome === 'abandoned') {
      count(expected.deviceId, 'abandoned');
      if (found.length > 0)
        add(
          'unexpected',
          expected.service.id,
          'abandoned 差评 sent as a record',
          expected,
          expected.deviceId,
        );
      continue;
    }
    count(expected.deviceId, `${expected.outcome}-expected`);
    if (found.length === 0) {
      add(
        'missing',
        expected.service.id,
        `no ${expected.outcome} record for ${expected.projectNo}`,
        expected,
        expected.deviceId,
      );
      continue;
    }
    if (found.length > 1)
      add(
        'duplicate',
        expected.service.id,
        `${found.length} records for ${expected.projectNo}`,
        expected,
        expected.deviceId,
      );
    const record = found[0]!;
    count(expected.deviceId, record.isDefault === '1' ? 'default-found' : 'rated-found');
    for (const [kind, detail] of checkRecord(expected, record))
      add(kind, expected.service.id, detail, expected, expected.deviceId);
  }
  for (const r of records) {
    if (expectedKeys.has(key(r.deviceId, r.projectNo))) continue;
    add(
      'unexpected',
      r.projectNo,
      `record (isDefault ${r.isDefault}) for no reported service`,
      null,
      r.deviceId,
    );
    count(r.deviceId, r.isDefault === '1' ? 'default-found' : 'rated-found');
  }

  const devices = Object.keys(windowOf);
  const rows = devices.map((deviceId) => {
    const c = counts.get(deviceId) ?? {};
    const t = tallies[deviceId];
    const n = (column: string) => c[column] ?? 0;
    return [
      windowOf[deviceId] ?? deviceId,
      n('reported'),
      `${n('rated-expected')}/${n('rated-found')}`,
      `${n('default-expected')}/${n('default-found')}`,
      `${n('abandoned')}/${t?.abandonedReported ?? '–'}`,
      n('missing'),
      n('unexpected'),
      n('wrong-level') + n('wrong-default-flag'),
      n('wrong-clerk'),
      n('wrong-document-code'),
      n('identity-on-default'),
      t?.rejected ?? 0,
      (t?.duplicates ?? 0) + n('duplicate'),
      t?.chainBreaks ?? 0,
    ].map(String);
  });
  const total = TABLE_COLUMNS.map((_, i) => {
    if (i === 0) return 'total';
    const cells = rows.map((row) => row[i] ?? '0');
    if (cells.some((cell) => cell.includes('/'))) {
      const parts = cells.map((cell) => cell.split('/'));
      const sum = (j: number) => {
        const values = parts.map((p) => p[j] ?? '–');
        return values.includes('–') ? '–' : String(values.reduce((a, v) => a + Number(v), 0));
      };
      return `${sum(0)}/${sum(1)}`;
    }
    return String(cells.reduce((a, v) => a + Number(v), 0));
  });
  for (const deviceId of devices) {
    const t = tallies[deviceId];
    const expectedAbandoned = week.abandoned[deviceId] ?? 0;
    if (t && t.abandonedReported !== expectedAbandoned)
      problems.push({
        kind: 'abandoned-count',
        subject: deviceId,
        detail: `abandonedBad ${t.abandonedReported ?? 'absent'}, expected ${expectedAbandoned}`,
        item: null,
      });
  }
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = [
    line(TABLE_COLUMNS),
    line(TABLE_COLUMNS.map(() => '---')),
    ...rows.map(line),
    line(total),
  ].join('\n');
  return { problems, table };
}
