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
});
