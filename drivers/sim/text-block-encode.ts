/** Encodes an identity into the 256-byte UTF-16LE text block (id-reader-sam.md "Text block"); sim side only. */
import type { CardIdentity } from '../idcard/identity.js';

const GENDER = { male: '1', female: '2', unknown: '0', unstated: '9' } as const;
const compact = (iso: string) => (iso === 'long-term' ? '长期' : iso.replaceAll('-', ''));

function put(block: Uint8Array, offset: number, bytes: number, value: string): void {
  const padded = value.padEnd(bytes / 2, ' ').slice(0, bytes / 2);
  for (let i = 0; i < padded.length; i += 1) {
    const c = padded.charCodeAt(i);
    block[offset + 2 * i] = c & 0xff;
    block[offset + 2 * i + 1] = c >>> 8;
  }
}

export function encodeTextBlock(id: CardIdentity): Uint8Array {
  const block = new Uint8Array(256);
  put(block, 0, 256, '');
  if (id.cardType === 'foreign') {
    put(block, 0, 120, id.name);
    put(block, 120, 2, GENDER[id.gender]);
    put(block, 122, 30, id.certKey);
    put(block, 152, 6, id.nationality ?? '');
    put(block, 158, 30, id.chineseName ?? '');
    put(block, 188, 16, compact(id.validFrom));
    put(block, 204, 16, compact(id.validTo));
    put(block, 220, 16, compact(id.birthDate));
    put(block, 236, 4, '01');
    put(block, 240, 8, '1500');
    block[248] = 0x49; // 'I'
    block[249] = 0;
    return block;
  }
  if (id.cardType === 'foreign-2023') {
    // The layout text-block.ts reads for `Y` (the mainland frame, Chinese name first, English name at 52).
    put(block, 0, 30, id.chineseName ?? '');
    put(block, 30, 2, GENDER[id.gender]);
    put(block, 36, 16, compact(id.birthDate));
    put(block, 52, 70, id.name);
    put(block, 122, 36, id.certKey);
    put(block, 188, 16, compact(id.validFrom));
    put(block, 204, 16, compact(id.validTo));
    block[248] = 0x59; // 'Y'
    block[249] = 0;
    return block;
  }
  put(block, 0, 30, id.name);
  put(block, 30, 2, GENDER[id.gender]);
  put(block, 32, 4, id.cardType === 'mainland' ? (id.nation ?? '') : '');
  put(block, 36, 16, compact(id.birthDate));
  put(block, 52, 70, id.address ?? '');
  put(block, 122, 36, id.certKey);
  put(block, 158, 30, id.issuer ?? '');
  put(block, 188, 16, compact(id.validFrom));
  put(block, 204, 16, compact(id.validTo));
  if (id.cardType === 'hk-mo-tw') {
    put(block, 220, 18, id.passNumber ?? '');
    put(block, 238, 4, id.issueCount ?? '');
    block[248] = 0x4a; // 'J'
    block[249] = 0;
  }
  return block;
}

/** The read-text reply data: TextLen 0x0100 · PhotoLen 0x0400 · text · 1024 photo bytes (a fixed pattern). */
export function encodeReadTextData(id: CardIdentity): Uint8Array {
  const data = new Uint8Array(4 + 256 + 1024);
  data.set([0x01, 0x00, 0x04, 0x00], 0);
  data.set(encodeTextBlock(id), 4);
  for (let i = 0; i < 1024; i += 1) data[260 + i] = (i * 37 + 11) & 0xff; // not a real WLT photo
  return data;
}
