/**
 * Where SM2 runs. The adapter only awaits a ciphertext: the kiosk encrypts on its delivery thread
 * (src/sync/delivery/), tests and tools on the calling thread.
 */
import { sm2Encrypt } from './sm2.js';

export interface Sm2Encryptor {
  /** `04 ‖ C1 ‖ C3 ‖ C2`, lower-case hex, of the UTF-8 text (province-profile.md "Envelope"). */
  encrypt(text: string, publicKey: string): Promise<string>;
}

/** Encrypts on the calling thread. */
export const inlineSm2Encryptor: Sm2Encryptor = {
  encrypt: async (text, publicKey) => sm2Encrypt(text, publicKey),
};
