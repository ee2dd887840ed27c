import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../src/store/checkpointer.js';
import { tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('the checkpoint thread, when checkpoints fail', () => {
  it('reports the failure once and stops catching up by itself, so the kiosk can take over', async () => {
    writeFileSync(t.dbPath, Buffer.alloc(8192, 0x5a)); // not a database: every checkpoint fails
    const errors: string[] = [];
    const checkpointer = createCheckpointer(t.dbPath, (message) => errors.push(message));
    try {
      await checkpointer.request();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/not a database/);
      // Its own catch-up runs every 400 ms; after the failure it must not run (and report) again.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(errors).toHaveLength(1);
    } finally {
      checkpointer.close();
    }
  });
});
