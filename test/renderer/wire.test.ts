import { describe, expect, it } from 'vitest';
import { apiSocketUrl, backoffDelay, parseSecret } from '../../renderer/wire.js';

describe('The page URL secret', () => {
  it('is read from the fragment', () => {
    const secret = 'A'.repeat(43);
    expect(parseSecret(`#s=${secret}`)).toBe(secret);
  });

  it('is refused when absent, too short or not base64url', () => {
    for (const hash of ['', '#', '#s=', '#s=short', `#s=${'a'.repeat(40)}%3Cx`, `#t=${'A'.repeat(43)}`]) {
      expect(parseSecret(hash)).toBeNull();
    }
  });
});

describe('Reconnecting', () => {
  it('backs off from 250 ms, doubling, to at most 5 s with ±20 % jitter', () => {
    expect(backoffDelay(0, 0.5)).toBe(250);
    expect(backoffDelay(1, 0.5)).toBe(500);
    expect(backoffDelay(10, 0.5)).toBe(5000);
    expect(backoffDelay(1000, 0.5)).toBe(5000);
    expect(backoffDelay(0, 0)).toBe(200);
    expect(backoffDelay(0, 0.999)).toBeLessThanOrEqual(300);
  });

  it('connects to /api on the page’s own host', () => {
    expect(apiSocketUrl('127.0.0.1:5123')).toBe('ws://127.0.0.1:5123/api');
  });
});
