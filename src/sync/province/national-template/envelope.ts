/**
 * The `national-template/1` envelope (province-profile.md "Envelope"):
 * `{ appMark, time, sign: SM2(time + appMark + appWord), params: { data: SM2(JSON payload) } }`.
 * `appWord` only ever enters SM2 here; it is never logged, never sent in clear.
 */
import { formatEnvelopeTime } from '../../time.js';
import { sm2Encrypt } from '../sm2.js';

export interface Envelope {
  appMark: string;
  time: string;
  sign: string;
  params: { data: string };
}

export interface EnvelopeKeys {
  appMark: string;
  appWord: string;
  /** Province SM2 public key, 130 hex characters starting `04`. */
  publicKey: string;
}

/** Encrypts an endpoint payload; independent of time, so it can be done ahead (pipelining). */
export function encryptPayload(payload: unknown, publicKey: string): string {
  return sm2Encrypt(JSON.stringify(payload), publicKey);
}

/** Wraps already-encrypted data with a fresh `time` and `sign` (both taken at send time). */
export function sealEnvelope(data: string, keys: EnvelopeKeys, now: number): Envelope {
  const time = formatEnvelopeTime(now);
  return {
    appMark: keys.appMark,
    time,
    sign: sm2Encrypt(time + keys.appMark + keys.appWord, keys.publicKey),
    params: { data },
  };
}

export function buildEnvelope(payload: unknown, keys: EnvelopeKeys, now: number): Envelope {
  return sealEnvelope(encryptPayload(payload, keys.publicKey), keys, now);
}
