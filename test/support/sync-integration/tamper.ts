/**
 * What an attacker with the SQLite file does to turn a 差评 into a 好评: a raw better-sqlite3 connection,
 * the append-only trigger dropped, the level (column, `bad` flag and the `satisfaction` inside the hashed
 * record text) edited and the 差评's reason codes removed, the trigger recreated exactly as it was. Nothing
 * else is touched (the hash stays).
 */
import Database from 'better-sqlite3';

const SATISFACTION_5 = '"satisfaction":"5"';

/** Tries the edit through the trigger (must fail with E2202); returns the error message. */
export function editRefusedByTrigger(dbPath: string, seq: number): string {
  const db = new Database(dbPath);
  try {
    db.prepare(`UPDATE ratings SET level = 'very_satisfied' WHERE seq = ?`).run(seq);
    return '';
  } catch (error) {
    return (error as Error).message;
  } finally {
    db.close();
  }
}

/** Edits the rating at `seq` to 非常满意 behind the trigger's back. Returns the satisfaction it had. */
export function editLevelToVerySatisfied(dbPath: string, seq: number): string {
  const db = new Database(dbPath);
  try {
    const trigger = db
      .prepare<[], { sql: string }>(
        `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ratings_no_update'`,
      )
      .get();
    if (!trigger) throw new Error('ratings_no_update trigger not found');
    const row = db
      .prepare<[number], { record_json: string }>('SELECT record_json FROM ratings WHERE seq = ?')
      .get(seq);
    if (!row) throw new Error(`no rating ${seq}`);
    const before = /"satisfaction":"(\d)"/.exec(row.record_json)?.[1] ?? '';
    db.transaction(() => {
      db.exec('DROP TRIGGER ratings_no_update');
      // The 差评's reason codes go too: a 非常满意 citing level-1 codes would be refused by the province
      // outright (BAD_CODE); the attacker makes a record that passes every field check, so that only the
      // chain can tell.
      const edited = JSON.parse(row.record_json.replace(/"satisfaction":"\d"/, SATISFACTION_5)) as Record<
        string,
        unknown
      >;
      delete edited.evalDetail;
      db.prepare(`UPDATE ratings SET level = 'very_satisfied', bad = 0, record_json = ? WHERE seq = ?`).run(
        JSON.stringify(edited),
        seq,
      );
      db.exec(trigger.sql);
    })();
    return before;
  } finally {
    db.close();
  }
}

/** The trigger is back exactly as it was (the attacker left no trace in the schema). */
export function triggerSql(dbPath: string): string | undefined {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare<[], { sql: string }>(
        `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'ratings_no_update'`,
      )
      .get()?.sql;
  } finally {
    db.close();
  }
}
