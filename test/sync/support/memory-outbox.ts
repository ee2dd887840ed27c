/**
 * In-memory OutboxPort for sync tests and the fleet bench, until the SQLite store is wired in. It plays
 * the store's part: appends drafts to the per-device chain (domain-rules §6, province-profile.md "Hash")
 * and orders pending items 差评 first, then oldest.
 */
import { sm3 } from 'sm-crypto-v2';
import type {
  DeadLetter,
  EraseStep,
  OutboxItem,
  OutboxPort,
  OutboxStats,
} from '../../../src/sync/outbox-port.js';
import {
  GENESIS_PREV_HASH,
  type ProvinceRecord,
  type RecordDraft,
} from '../../../src/shared/province-record.js';

type ItemState = 'pending' | 'delivered' | 'dead';

interface Row {
  item: OutboxItem;
  state: ItemState;
  deliveredAt: number | null;
}

/** Device-side canonical text: the record without hash/certKey/userName, keys sorted, no white space. */
export function canonicalDeviceText(record: Omit<ProvinceRecord, 'hash'>): string {
  const copy: Record<string, unknown> = { ...record };
  delete copy.hash;
  delete copy.certKey;
  delete copy.userName;
  const keys = Object.keys(copy)
    .filter((k) => copy[k] !== undefined)
    .sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, copy[k]])));
}

export function chainHash(prevHash: string, record: Omit<ProvinceRecord, 'hash'>): string {
  return sm3(prevHash + canonicalDeviceText(record));
}

export class MemoryOutbox implements OutboxPort {
  readonly rows: Row[] = [];
  readonly attempts: Array<{ seqs: number[]; at: number; code: string }> = [];
  private readonly dead = new Map<number, DeadLetter>();
  private abandoned = 0;

  /** Appends a draft to the chain, like the store's rating transaction does. */
  append(draft: RecordDraft, at: number): ProvinceRecord {
    const last = this.rows[this.rows.length - 1]?.item.record;
    const partial = { ...draft, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_PREV_HASH };
    const record: ProvinceRecord = { ...partial, hash: chainHash(partial.prevHash, partial) };
    const bad = record.satisfaction === '1' || record.satisfaction === '2';
    this.rows.push({
      item: { seq: record.seq, ratingId: record.ratingId, bad, record, attempts: 0, createdAt: at },
      state: 'pending',
      deliveredAt: null,
    });
    return record;
  }

  addAbandonedBad(): void {
    this.abandoned += 1;
  }

  private row(seq: number): Row {
    const row = this.rows[seq - 1];
    if (!row) throw new Error(`no seq ${seq}`);
    return row;
  }

  nextBatch(limit: number): OutboxItem[] {
    const pending = this.rows.filter((r) => r.state === 'pending');
    const bad = pending.filter((r) => r.item.bad);
    const rest = pending.filter((r) => !r.item.bad);
    return [...bad, ...rest].slice(0, limit).map((r) => ({ ...r.item }));
  }

  markDelivered(results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>, at: number): void {
    for (const { seq } of results) {
      const row = this.row(seq);
      if (row.state !== 'pending') throw new Error(`seq ${seq} is ${row.state}, not pending`);
      row.state = 'delivered';
      row.deliveredAt = at;
    }
  }

  markDead(seq: number, code: string, message: string, at: number): void {
    const row = this.row(seq);
    row.state = 'dead';
    this.dead.set(seq, { seq, ratingId: row.item.ratingId, code, message, at });
  }

  recordAttempt(seqs: readonly number[], at: number, code: string): void {
    for (const seq of seqs) this.row(seq).item.attempts += 1;
    this.attempts.push({ seqs: [...seqs], at, code });
  }

  resend(seq: number): boolean {
    const row = this.rows[seq - 1];
    if (!row || row.state !== 'dead') return false;
    row.state = 'pending';
    this.dead.delete(seq);
    return true;
  }

  stats(): OutboxStats {
    const pending = this.rows.filter((r) => r.state === 'pending');
    return {
      depth: pending.length,
      oldestUnsentAt: pending.length ? Math.min(...pending.map((r) => r.item.createdAt)) : null,
      deadLetters: [...this.dead.values()],
      delivered: this.rows.filter((r) => r.state === 'delivered').length,
    };
  }

  erasePii(deliveredBefore: number, budget: number): EraseStep {
    let erased = 0;
    for (const row of this.rows) {
      const r = row.item.record;
      if (
        row.state === 'delivered' &&
        row.deliveredAt !== null &&
        row.deliveredAt <= deliveredBefore &&
        (r.certKey || r.userName)
      ) {
        if (erased === budget) return { erased, more: true };
        delete r.certKey;
        delete r.userName;
        erased += 1;
      }
    }
    return { erased, more: false };
  }

  lastLink(): { seq: number; hash: string } {
    const last = this.rows[this.rows.length - 1]?.item.record;
    return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_PREV_HASH };
  }

  abandonedBadCount(): number {
    return this.abandoned;
  }

  pendingCount(): number {
    return this.rows.filter((r) => r.state === 'pending').length;
  }
}
