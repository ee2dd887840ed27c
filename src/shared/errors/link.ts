import { defineCodes } from './types.js';

/** Band E3: the window-link HTTP service (window-link.md). These `name`s are the `error` field of HTTP answers. */
export const LINK_ERRORS = defineCodes({
  unauthorized: { code: 'E3001', name: 'unauthorized', help: 'Missing or wrong bearer token (401).' },
  throttled: {
    code: 'E3002',
    name: 'too-many-failures',
    help: 'More than 20 failed token attempts in a minute from this address; refused for a minute (429).',
  },
  tooLarge: {
    code: 'E3003',
    name: 'body-too-large',
    help: 'The request body is over 256 KiB (16 MiB for /v1/admin/provision) (413).',
  },
  invalidBody: {
    code: 'E3004',
    name: 'invalid-body',
    help: 'The body failed schema validation; `field` names the path (400).',
  },
  invalidJson: { code: 'E3005', name: 'invalid-json', help: 'The body is not JSON (400).' },
  notFound: { code: 'E3006', name: 'not-found', help: 'No such call or no such ticket (404).' },
  methodNotAllowed: {
    code: 'E3007',
    name: 'method-not-allowed',
    help: 'The call exists with another HTTP method (405).',
  },
  windowNotOpen: {
    code: 'E3008',
    name: 'window-not-open',
    help: 'The window is paused or closed, so no rating session can open (409).',
  },
  listenFailed: {
    code: 'E3009',
    name: 'listen-failed',
    help: 'The window-link service could not listen on its configured address (port in use or address not on this host).',
  },
  internal: {
    code: 'E3010',
    name: 'internal',
    help: 'The kiosk failed to handle the call; see the log for the code of the cause (500).',
  },
  bodyTimeout: {
    code: 'E3070',
    name: 'body-timeout',
    help: 'The request body did not arrive in full within 10 s; the connection was closed (408).',
  },
  busy: {
    code: 'E3071',
    name: 'busy',
    help: 'Too many connections from this address, or too many request bodies held at once; retry shortly (503).',
  },
  tooManyStreams: {
    code: 'E3072',
    name: 'too-many-streams',
    help: 'The limit of open /v1/events streams is reached; close an old stream before opening another (503).',
  },
  unsupportedMediaType: {
    code: 'E3073',
    name: 'unsupported-media-type',
    help: 'A request body must be sent with content-type application/json (415).',
  },
});
