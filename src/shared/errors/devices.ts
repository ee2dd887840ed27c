import { defineCodes } from './types.js';

/** Band E4: the RP/1 rating pad; band E5: the SAM ID card reader; both include their transports. */
export const PAD_ERRORS = defineCodes({
  openFailed: {
    code: 'E4001',
    name: 'pad.open-failed',
    help: 'The pad port could not be opened (not plugged in, wrong path, or no permission: check the udev rules).',
  },
  handshakeFailed: {
    code: 'E4002',
    name: 'pad.handshake-failed',
    help: 'The pad did not answer HELLO_REQUEST with a HELLO.',
  },
  versionUnsupported: {
    code: 'E4003',
    name: 'pad.version-unsupported',
    help: 'The pad speaks another major version of RP/1.',
  },
  linkLost: {
    code: 'E4004',
    name: 'pad.link-lost',
    help: 'Three PONGs in a row were missed, or the port closed: the pad is reopened with backoff.',
  },
  crcError: {
    code: 'E4005',
    name: 'pad.crc-error',
    help: 'A frame failed its CRC-16/MODBUS check and was dropped (noise or a bad cable if it repeats).',
  },
  nak: { code: 'E4006', name: 'pad.nak', help: 'The pad answered NAK to a frame.' },
  ackTimeout: {
    code: 'E4007',
    name: 'pad.ack-timeout',
    help: 'The pad did not acknowledge a frame after three retransmissions.',
  },
  padError: { code: 'E4008', name: 'pad.device-error', help: 'The pad reported an ERROR message.' },
});

export const READER_ERRORS = defineCodes({
  openFailed: { code: 'E5001', name: 'reader.open-failed', help: 'The ID reader port could not be opened.' },
  checksum: {
    code: 'E5002',
    name: 'reader.checksum',
    help: 'A reader frame failed its XOR checksum and was dropped.',
  },
  samSelfTest: {
    code: 'E5003',
    name: 'reader.sam-self-test',
    help: 'The reader answered SW3 60: the SAM module failed its self-test. Replace or service the reader.',
  },
  samNotAuthorised: {
    code: 'E5004',
    name: 'reader.sam-not-authorised',
    help: 'The reader answered SW3 66: the SAM module is not authorised.',
  },
  readFailed: {
    code: 'E5005',
    name: 'reader.read-failed',
    help: 'The card could not be read (SW3 41/47/31/32/33); ask the citizen to tap again.',
  },
  checkDigit: {
    code: 'E5006',
    name: 'reader.check-digit',
    help: 'The ID number read failed the GB 11643 check digit: treated as a read error.',
  },
  unknownCardType: {
    code: 'E5007',
    name: 'reader.unknown-card-type',
    help: 'The card type is not supported (e.g. the 2023 foreign permanent resident card); it was not guessed.',
  },
  timeout: {
    code: 'E5008',
    name: 'reader.timeout',
    help: 'The reader did not answer within the poll timeout; the port is reopened.',
  },
  status: {
    code: 'E5009',
    name: 'reader.status',
    help: 'The reader answered an unexpected SW3 status code.',
  },
  linkLost: {
    code: 'E5010',
    name: 'reader.link-lost',
    help: 'The reader port closed (unplugged or read error): it is reopened with backoff.',
  },
});
