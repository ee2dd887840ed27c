import type { ErrorCodeInfo } from './types.js';

/** An error that carries a stable code (see the README's error table). Never put PII in `message` or `details`. */
export class KioskError extends Error {
  readonly code: string;
  readonly codeName: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    info: ErrorCodeInfo,
    message?: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message ?? info.help, options);
    this.name = 'KioskError';
    this.code = info.code;
    this.codeName = info.name;
    this.details = details;
  }
}

export function isKioskError(value: unknown): value is KioskError {
  return value instanceof KioskError;
}
