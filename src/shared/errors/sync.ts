import { defineCodes } from './types.js';

/** Band E6: delivery to the provincial 好差评 system (province-profile.md). */
export const SYNC_ERRORS = defineCodes({
  network: {
    code: 'E6001',
    name: 'sync.network',
    help: 'The province could not be reached (DNS, connection, timeout); retried with backoff.',
  },
  server: {
    code: 'E6002',
    name: 'sync.server',
    help: 'The province answered a 5xx status; retried with backoff.',
  },
  rateLimited: {
    code: 'E6003',
    name: 'sync.rate-limited',
    help: 'The province answered 429 RATE_LIMIT; retried no sooner than Retry-After.',
  },
  maintenance: {
    code: 'E6004',
    name: 'sync.maintenance',
    help: 'The province answered 503 MAINTENANCE; retried no sooner than Retry-After.',
  },
  auth: {
    code: 'E6005',
    name: 'sync.auth',
    help: 'The province refused appMark/appWord (AUTH): sending stopped, retried every 10 minutes. Check the provisioned secrets.',
  },
  timeSkew: {
    code: 'E6006',
    name: 'sync.time-skew',
    help: 'The device clock is more than 300 s from the province clock (TIME_SKEW): sending stopped; fix the clock (NTP). The offset is on diagnostics.',
  },
  badEnvelope: {
    code: 'E6007',
    name: 'sync.bad-envelope',
    help: 'The province could not decrypt or parse the envelope (BAD_ENVELOPE): check the SM2 public key. Sending stopped, retried every 10 minutes.',
  },
  tooLarge: {
    code: 'E6008',
    name: 'sync.too-large',
    help: 'The province answered 413: the batch is split and resent.',
  },
  rejected: {
    code: 'E6009',
    name: 'sync.rejected',
    help: 'The province rejected a record; it is kept as a dead letter with the province code and can be resent after the cause is fixed.',
  },
  badAnswer: {
    code: 'E6010',
    name: 'sync.bad-answer',
    help: 'The province answer was not the expected JSON (malformed, or results not matching the batch); retried with backoff.',
  },
  tls: {
    code: 'E6011',
    name: 'sync.tls',
    help: 'The province TLS certificate did not verify (unknown CA or wrong host); nothing was sent. Provision the CA bundle if the gateway uses a private CA.',
  },
  catalogue: {
    code: 'E6012',
    name: 'sync.catalogue',
    help: 'The reason catalogue could not be fetched or was invalid; the cached (or built-in) catalogue stays in use.',
  },
  worker: {
    code: 'E6013',
    name: 'sync.worker',
    help: 'The outbox worker hit an unexpected local error (store read or encryption); it retries with backoff. See the log.',
  },
  deliveryThread: {
    code: 'E6014',
    name: 'sync.delivery-thread',
    help: 'The delivery thread stopped unexpectedly (it could not open the store, or crashed); it is restarted with backoff and nothing stored is lost. See the log.',
  },
});
