/**
 * Per-device chain and signature checks (province-profile.md "Province-side checks"): `seq` continuous,
 * `prevHash` = the previous record's `hash`, `hash` recomputes, ⟨r2⟩ `sig` verifies with the device key
 * pinned from the device's first heartbeat. "A chain or signature mismatch is accepted but reported as a
 * break": these functions only report. Records may arrive out of seq order (差评 go first), so the checks run
 * over what has arrived, on demand.
 */
import { sm2 } from 'sm-crypto-v2';
import { recomputeHash } from './canonical.js';

export type ChainBreak =
  | { kind: 'hash'; deviceId: string; seq: number }
  | { kind: 'link'; deviceId: string; seq: number }
  | { kind: 'gap'; deviceId: string; missing: number[] }
  | { kind: 'seq-reused'; deviceId: string; seq: number };

export type SignatureBreak =
  /** No `sig` on the record (the kiosk does not sign yet: issue 15 item 9 says a later issue adds it). */
  | { kind: 'sig-missing'; deviceId: string; seq: number }
  /** A `sig`, but no device key was pinned for the device (no heartbeat with `devicePublicKey` yet). */
  | { kind: 'sig-unverifiable'; deviceId: string; seq: number }
  /** The `sig` does not verify with the pinned key. */
  | { kind: 'sig'; deviceId: string; seq: number }
  /** A heartbeat offered another key than the one pinned (it is not taken). */
  | { kind: 'key-changed'; deviceId: string };

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  sig?: string;
  [field: string]: unknown;
}

const GENESIS = '0'.repeat(64);

/** The chain breaks of one device's records (any order). */
export function deviceChainBreaks(deviceId: string, records: Iterable<ChainLink>): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  const bySeq = new Map<number, ChainLink>();
  for (const r of records) {
    if (bySeq.has(r.seq)) breaks.push({ kind: 'seq-reused', deviceId, seq: r.seq });
    else bySeq.set(r.seq, r);
    if (recomputeHash(r) !== r.hash) breaks.push({ kind: 'hash', deviceId, seq: r.seq });
  }
  if (bySeq.size === 0) return breaks;
  const max = Math.max(...bySeq.keys());
  const missing: number[] = [];
  for (let seq = 1; seq <= max; seq++) {
    const r = bySeq.get(seq);
    if (!r) {
      missing.push(seq);
      continue;
    }
    const expected = seq === 1 ? GENESIS : bySeq.get(seq - 1)?.hash;
    if (expected !== undefined && r.prevHash !== expected) breaks.push({ kind: 'link', deviceId, seq });
  }
  if (missing.length > 0) breaks.push({ kind: 'gap', deviceId, missing });
  return breaks;
}

/** SM2 signature (GM/T 0003.2, SM3 with the default user id) over the UTF-8 bytes of `hash`, `r ‖ s` hex. */
export function verifiesRecordSignature(hash: string, sig: string, publicKey: string): boolean {
  try {
    return sm2.doVerifySignature(hash, sig, publicKey, {
      der: false,
      hash: true,
      userId: '1234567812345678',
    });
  } catch {
    return false;
  }
}

/** The signature break of one record, or null when its `sig` verifies with the pinned key. */
export function recordSignatureBreak(
  deviceId: string,
  record: ChainLink,
  pinnedKey: string | null,
): SignatureBreak | null {
  if (record.sig === undefined) return { kind: 'sig-missing', deviceId, seq: record.seq };
  if (pinnedKey === null) return { kind: 'sig-unverifiable', deviceId, seq: record.seq };
  return verifiesRecordSignature(record.hash, record.sig, pinnedKey)
    ? null
    : { kind: 'sig', deviceId, seq: record.seq };
}
