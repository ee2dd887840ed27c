/**
 * Whether the database file holds identities sealed with the PII key (domain-rules §5), asked before the
 * store opens when `pii.key` is missing: then a new key must not be made silently (issue 18 item 1).
 * Read-only; a file that does not exist, or has no such tables yet, holds none. A file that cannot be read
 * is taken to hold some: the safe answer, since the store's own open reports what is wrong with it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';

export function holdsSealedIdentities(dbPath: string): boolean {
  if (!fs.existsSync(dbPath)) return false;
  let db: Database.Database | null = null;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const tables = new Set(
      (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>
      ).map((t) => t.name),
    );
    const sealedIn = (table: string, column: string): boolean => {
      if (!tables.has(table)) return false;
      const columns = db!.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{
        name: string;
      }>;
      if (!columns.some((c) => c.name === column)) return false;
      return (
        db!.prepare(`SELECT 1 FROM "${table}" WHERE "${column}" IS NOT NULL LIMIT 1`).get() !== undefined
      );
    };
    return sealedIn('services', 'citizen_enc') || sealedIn('ratings', 'pii_enc');
  } catch {
    return true;
  } finally {
    db?.close();
  }
}
