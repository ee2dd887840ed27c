/**
 * Positions of the store's background walks, kept in the `marks` table (migration 0005): how far the PII erase
 * has got in `deliveries` ('erase.pii', 'erase.digest') and the time index in `ratings` ('index.time').
 */
import type Database from 'better-sqlite3';

export interface Marks {
  get(name: string): number;
  set(name: string, value: number): void;
}

export function createMarks(db: Database.Database): Marks {
  const read = db.prepare<[string], { value: number }>('SELECT value FROM marks WHERE name = ?');
  const write = db.prepare('UPDATE marks SET value = ? WHERE name = ?');
  return {
    get: (name) => read.get(name)?.value ?? 0,
    set: (name, value) => {
      write.run(value, name);
    },
  };
}
