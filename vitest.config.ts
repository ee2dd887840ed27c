import { defineConfig } from 'vitest/config';

// Unit, property and integration tests run under plain Node. e2e tests (test/e2e) drive Debian's Chromium
// through playwright-core and need the renderer built first (scripts/test.mjs does that).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
