/**
 * The admin PIN (admin screen, diagnostics screen): scrypt-hashed with a random salt, parameters encoded
 * in the hash (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, PHC style, base64 without padding), verified in
 * constant time. Wrong PINs lock the screen: 5 consecutive failures → 5 minutes, each further lockout
 * doubles (10, 20, 40 … minutes, at most 24 hours); a correct PIN clears the count.
 *
 * Lockout state lives in a small JSON file in the data directory (`ConfigPaths.pinState`), written
 * atomically, rather than in the store's meta table: the guard must work before the store opens and must
 * not depend on src/store internals. A failure is counted on disk *before* the hash is checked, so pulling
 * the plug mid-attempt cannot give a free guess; an unreadable state file locks (fails closed). Every
 * attempt is audited (outcome only, never the PIN). The clock is injected.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { writeFileAtomic } from './atomic-file.js';
import type { AuditActor, AuditTrail } from './audit.js';

export interface ScryptParams {
  /** log2 of N. */
  ln: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8, p = 1 (the configuration schema accepts nothing weaker). */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Admin PINs are 6–12 digits. */
export const PIN_FORMAT = /^\d{6,12}$/;

export const LOCKOUT = {
  maxFailures: 5,
  baseMs: 5 * 60_000,
  maxMs: 24 * 60 * 60_000,
} as const;

const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

function derive(pin: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) => {
    scrypt(
      pin.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r * params.p },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

/** Hashes a PIN (must match `PIN_FORMAT`). Tests may pass a smaller `ln` to stay fast. */
export async function hashPin(pin: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  if (!PIN_FORMAT.test(pin)) throw new RangeError('the admin PIN must be 6–12 digits');
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | null {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > 20 || params.r < 1 || params.r > 16 || params.p < 1 || params.p > 4) {
    return null;
  }
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const key = Buffer.from(m[5] ?? '', 'base64');
  return salt.length >= 8 && key.length >= 16 ? { params, salt, key } : null;
}

/** True when `pin` matches `hash`. Constant-time compare; a malformed hash or PIN is simply false. */
export async function verifyPin(pin: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed || pin.length > 64) return false;
  const candidate = await derive(pin, parsed.salt, parsed.params);
  return candidate.length === parsed.key.length && timingSafeEqual(candidate, parsed.key);
}

/** Persisted lockout state (the pin state file). */
export interface PinLockState {
  /** Consecutive failures since the last success or lockout. */
  failures: number;
  /** Lockouts since the last success (the next lasts base × 2^lockouts). */
  lockouts: number;
  /** When the current (or last) lockout began, epoch ms; null when none. */
  lockedAt: number | null;
  /** Its length in ms. */
  lockMs: number;
}

const FRESH: PinLockState = { failures: 0, lockouts: 0, lockedAt: null, lockMs: 0 };

export type PinAttemptResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; remaining: number; lockedUntil: number | null }
  | { ok: false; reason: 'locked'; lockedUntil: number }
  | { ok: false; reason: 'not-set' };

export interface AdminPinGuardOptions {
  /** `ConfigPaths.pinState`. */
  statePath: string;
  /** The current PIN hash (config `admin.pinHash`), read at each attempt so a PIN change applies at once. */
  pinHash: () => string | undefined;
  audit: AuditTrail;
  now?: () => number;
}

export interface AdminPinGuard {
  /** Checks a PIN. Attempts are serialised; each one is audited. */
  attempt(pin: string, actor: AuditActor): Promise<PinAttemptResult>;
  /** For the admin screen: whether it is locked and until when. */
  status(): { locked: boolean; lockedUntil: number | null; failures: number };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function lockDuration(lockouts: number): number {
  return Math.min(LOCKOUT.baseMs * 2 ** Math.min(lockouts, 30), LOCKOUT.maxMs);
}

export function createAdminPinGuard(options: AdminPinGuardOptions): AdminPinGuard {
  const now = options.now ?? Date.now;

  const read = (): PinLockState => {
    let text: string;
    try {
      text = fs.readFileSync(options.statePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...FRESH };
      return failClosed();
    }
    try {
      const v = JSON.parse(text) as Partial<Record<keyof PinLockState, unknown>>;
      if (
        isCount(v.failures) &&
        isCount(v.lockouts) &&
        isCount(v.lockMs) &&
        (v.lockedAt === null || isCount(v.lockedAt))
      ) {
        return { failures: v.failures, lockouts: v.lockouts, lockedAt: v.lockedAt, lockMs: v.lockMs };
      }
    } catch {
      // fall through
    }
    return failClosed();
  };
  /** An unreadable or altered state file: start a lockout rather than forget the failures it held. */
  const failClosed = (): PinLockState => {
    const state = { failures: 0, lockouts: 1, lockedAt: now(), lockMs: lockDuration(0) };
    write(state);
    return state;
  };
  const write = (state: PinLockState): void =>
    writeFileAtomic(options.statePath, JSON.stringify(state), 0o600);

  /** End of the lockout in force at `t`, or null. A clock that went backwards restarts the lockout. */
  const lockedUntil = (state: PinLockState, t: number): number | null => {
    if (state.lockedAt === null) return null;
    if (t < state.lockedAt) {
      state.lockedAt = t;
      write(state);
    }
    const end = state.lockedAt + state.lockMs;
    return t < end ? end : null;
  };

  const startLockout = (state: PinLockState, t: number): number => {
    state.lockMs = lockDuration(state.lockouts);
    state.lockouts += 1;
    state.lockedAt = t;
    state.failures = 0;
    return t + state.lockMs;
  };

  const attemptNow = async (pin: string, actor: AuditActor): Promise<PinAttemptResult> => {
    const state = read();
    const t = now();
    const hash = options.pinHash();
    const audit = (result: 'ok' | 'wrong' | 'locked' | 'not-set', failures: number, until: number | null) =>
      options.audit.record(actor, { type: 'admin.pin-attempt', result, failures, lockedUntil: until });

    let until = lockedUntil(state, t);
    if (until === null && state.failures >= LOCKOUT.maxFailures) {
      // Failures counted before a crash reached the limit without the lockout being written.
      until = startLockout(state, t);
      write(state);
    }
    if (until !== null) {
      audit('locked', state.failures, until);
      return { ok: false, reason: 'locked', lockedUntil: until };
    }
    if (hash === undefined || hash === '') {
      audit('not-set', state.failures, null);
      return { ok: false, reason: 'not-set' };
    }

    // Count the failure first: a crash during the check must not give a free guess.
    const failures = state.failures + 1;
    write({ ...state, failures });
    const good = typeof pin === 'string' && (await verifyPin(pin, hash));
    const after = now();
    if (good) {
      write({ ...FRESH });
      audit('ok', 0, null);
      return { ok: true };
    }
    state.failures = failures;
    let lockEnd: number | null = null;
    if (failures >= LOCKOUT.maxFailures) lockEnd = startLockout(state, after);
    write(state);
    audit('wrong', failures, lockEnd);
    return {
      ok: false,
      reason: 'wrong',
      remaining: lockEnd === null ? LOCKOUT.maxFailures - failures : 0,
      lockedUntil: lockEnd,
    };
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    attempt(pin, actor) {
      const run = queue.then(() => attemptNow(pin, actor));
      queue = run.catch(() => undefined);
      return run;
    },
    status() {
      const state = read();
      const until = lockedUntil(state, now());
      return { locked: until !== null, lockedUntil: until, failures: state.failures };
    },
  };
}
