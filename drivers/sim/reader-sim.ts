/**
 * SAM ID reader simulator speaking the real bytes (id-reader-sam.md): SAM status and id, find/select/read
 * with a card present or not, every card type, and faults for tests: garbage, stall, SW3 60/66, a corrupt
 * checksum, cards with a bad check digit or an unsupported type. Replies are paced at the baud rate.
 */
import type { CardIdentity } from '../idcard/identity.js';
import {
  SAM_CMD,
  SW3,
  createSamParser,
  decodeRequest,
  encodeReply,
  type SamCommand,
} from '../idcard/sam-codec.js';
import { encodeReadTextData } from './text-block-encode.js';
import { SimLink, type SimLinkOptions } from './sim-link.js';

export interface ReaderSimOptions {
  /** 16 bytes; default prints as 05.01-20240101-000000001-000000042. */
  samId?: Uint8Array;
  log?: (line: string) => void;
}

const commandOf = (cmd: number, para: number): SamCommand | undefined =>
  (Object.keys(SAM_CMD) as SamCommand[]).find((k) => SAM_CMD[k][0] === cmd && SAM_CMD[k][1] === para);

export class ReaderSimulator {
  readonly link: SimLink;
  /** SW3 the SAM status answers: 0x90, or 0x60 (self-test failed) / 0x66 (not authorised). */
  samStatus: number = SW3.success;
  /** Requests seen, by command name. */
  readonly requests: string[] = [];
  #card: { identity: CardIdentity; serial: Uint8Array } | undefined;
  #cardCount = 0;
  #corruptNext = 0;
  #stalledUntil = 0;
  readonly #parser = createSamParser({ onFrame: (f) => this.#onRequest(f) });

  constructor(
    link: SimLinkOptions,
    readonly options: ReaderSimOptions = {},
  ) {
    // A UART reader: 115200 baud unless told otherwise, so a read reply takes its ~113 ms on the wire.
    this.link = new SimLink({ baudRate: 115200, ...link });
  }

  get kioskPath(): string {
    return this.link.kioskPath;
  }

  async start(): Promise<void> {
    await this.link.start((bytes) => {
      if (performance.now() >= this.#stalledUntil) this.#parser.push(bytes);
    });
  }

  async stop(): Promise<void> {
    this.#parser.dispose();
    await this.link.stop();
  }

  /** A card enters the field; each presentation gets a new card serial. */
  presentCard(identity: CardIdentity): void {
    this.#cardCount += 1;
    const serial = new Uint8Array(8);
    new DataView(serial.buffer).setUint32(4, this.#cardCount);
    this.#card = { identity, serial };
  }

  removeCard(): void {
    this.#card = undefined;
  }

  /** The next `n` replies carry a wrong XOR checksum. */
  corruptNextChecksum(n = 1): void {
    this.#corruptNext = n;
  }

  sendGarbage(n: number): void {
    const bytes = new Uint8Array(n).map(() => Math.floor(Math.random() * 256));
    void this.link.write(bytes.map((b) => (b === 0xaa ? 0 : b)));
  }

  /** The reader stops answering for `ms`. */
  stall(ms: number): void {
    this.#stalledUntil = performance.now() + ms;
  }

  unplug(): Promise<void> {
    return this.link.unplug();
  }

  replug(): Promise<void> {
    return this.link.replug();
  }

  #samId(): Uint8Array {
    if (this.options.samId) return this.options.samId;
    const id = new Uint8Array(16);
    const v = new DataView(id.buffer);
    id[0] = 5;
    id[2] = 1;
    v.setUint32(4, 20240101, true);
    v.setUint32(8, 1, true);
    v.setUint32(12, 42, true);
    return id;
  }

  #onRequest(frame: Uint8Array): void {
    const req = decodeRequest(frame);
    const name = req && commandOf(req.cmd, req.para);
    this.requests.push(name ?? 'unknown');
    const [sw3, data] = this.#answer(name);
    const reply = encodeReply(sw3, data);
    if (this.#corruptNext > 0) {
      this.#corruptNext -= 1;
      reply[reply.length - 1]! ^= 0x5a;
    }
    void this.link.write(reply);
  }

  #answer(name: SamCommand | undefined): [number, Uint8Array?] {
    const card = this.#card;
    switch (name) {
      case 'resetSam':
        return [SW3.success];
      case 'samStatus':
        return [this.samStatus];
      case 'readSamId':
        return [SW3.success, this.#samId()];
      case 'findCard':
        return card ? [SW3.cardFound, new Uint8Array(4)] : [SW3.noCard];
      case 'selectCard':
        return card ? [SW3.success, card.serial] : [SW3.selectFailed];
      case 'readText':
        return card ? [SW3.success, encodeReadTextData(card.identity)] : [SW3.readFailed];
      case 'readTextFingerprint': {
        if (!card) return [SW3.readFailed];
        const base = encodeReadTextData(card.identity);
        const data = new Uint8Array(base.length + 2);
        data.set(base.subarray(0, 4), 0);
        data.set([0x00, 0x00], 4); // third length: no fingerprint
        data.set(base.subarray(4), 6);
        return [SW3.success, data];
      }
      case 'readAppendedAddress':
        return [SW3.noContent];
      default:
        return [SW3.badCommand];
    }
  }
}
