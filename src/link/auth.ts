/**
 * Bearer-token checks (window-link.md "Service": the link token for window-system calls, the admin token for
 * technician calls). Both sides are hashed with SHA-256 before `timingSafeEqual`, so neither the content nor
 * the length of the expected token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'link' | 'admin';

export interface TokenChecker {
  /** True when the `Authorization` header carries exactly the expected token of `kind`. */
  matches(kind: TokenKind, authorization: string | undefined): boolean;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** `Bearer <token>`; the scheme is case-insensitive (RFC 7235), the token is not. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
  return match?.[1] ?? null;
}

export function createTokenChecker(tokens: { linkToken: string; adminToken: string }): TokenChecker {
  const expected: Record<TokenKind, Buffer> = {
    link: digest(tokens.linkToken),
    admin: digest(tokens.adminToken),
  };
  return {
    matches(kind, authorization) {
      const given = bearerToken(authorization);
      // Hash even when absent, so a missing header costs the same as a wrong one.
      const ok = timingSafeEqual(digest(given ?? ''), expected[kind]);
      return ok && given !== null;
    },
  };
}
