/**
 * Content-Security-Policy violations reported by the kiosk page: counted for diagnostics, logged at most
 * LOGGED_MAX times per run, so a flood (injected content, a tampered page) cannot fill the disk while the
 * count keeps going up.
 */
import { HOST_ERRORS } from '../shared/errors/index.js';

const LOGGED_MAX = 20;

export interface CspReporter {
  report(directive: string, blockedOrigin: string): void;
  count(): number;
}

export function createCspReporter(
  log: (entry: { level: 'warn'; code: string; msg: string }) => void,
): CspReporter {
  let violations = 0;
  return {
    report(directive, blockedOrigin) {
      violations += 1;
      if (violations <= LOGGED_MAX) {
        log({
          level: 'warn',
          code: HOST_ERRORS.cspViolation.code,
          msg: `CSP violation: ${directive} ${blockedOrigin}`,
        });
      }
    },
    count: () => violations,
  };
}
