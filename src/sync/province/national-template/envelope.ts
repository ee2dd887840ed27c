/**
 * The `national-template/1` envelope (province-profile.md "Envelope"):
 * `{ appMark, time, sign: SM2(time + appMark + appWord), params: { data: SM2(JSON payload) } }`.
 * `appWord` only ever enters SM2 here; it is never logged, never sent in clear.
 */
import { formatEnvelopeTime } from '../../time.js';
import { inlineSm2Encryptor, type Sm2Encryptor } from '../encryptor.js';

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
export function encryptPayload(
  payload: unknown,
  publicKey: string,
  encryptor: Sm2Encryptor = inlineSm2Encryptor,
): Promise<string> {
  return encryptor.encrypt(JSON.stringify(payload), publicKey);
}

/** Wraps already-encrypted data with a fresh `time` and `sign` (both taken at send time). */
export async function sealEnvelope(
  data: string,
  keys: EnvelopeKeys,
  now: number,
  encryptor: Sm2Encryptor = inlineSm2Encryptor,
): Promise<Envelope> {
  const time = formatEnvelopeTime(now);
  const sign = await encryptor.encrypt(time + keys.appMark + keys.appWord, keys.publicKey);
  return { appMark: keys.appMark, time, sign, params: { data } };
}

export async function buildEnvelope(
  payload: unknown,
  keys: EnvelopeKeys,
  now: number,
  encryptor: Sm2Encryptor = inlineSm2Encryptor,
): Promise<Envelope> {
  return sealEnvelope(await encryptPayload(payload, keys.publicKey, encryptor), keys, now, encryptor);
}
