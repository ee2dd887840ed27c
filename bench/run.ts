/**
 * `npm run bench`: every benchmark, printed as one table. Traffic stays on loopback; each benchmark cleans
 * up after itself. `npm run bench -- store startup` runs only the named groups.
 */
import { benchDrain } from './drain.js';
import { benchDrivers } from './drivers.js';
import { benchLinkHold } from './link-hold.js';
import { benchStartup } from './startup.js';
import { benchStoreCommit } from './store-commit.js';
import { benchSync } from './sync.js';
import type { BenchRow } from './types.js';
import { benchUi } from './ui.js';

const GROUPS: Record<string, () => Promise<BenchRow[]>> = {
  store: benchStoreCommit,
  startup: () => benchStartup(),
  drivers: benchDrivers,
  sync: benchSync,
  ui: () => benchUi(),
  drain: () => benchDrain(),
  'link-hold': benchLinkHold,
};

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(GROUPS);
  const rows: Array<BenchRow & { group: string }> = [];
  for (const name of names) {
    const run = GROUPS[name];
    if (!run) throw new Error(`unknown benchmark group ${name} (known: ${Object.keys(GROUPS).join(', ')})`);
    process.stderr.write(`running ${name}…\n`);
    for (const row of await run()) rows.push({ group: name, ...row });
  }
  const table = [
    ['name', 'value', 'unit', 'target', 'met'],
    ...rows.map((r) => [
      r.name,
      format(r.value),
      r.unit,
      r.target ?? '',
      r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => [...row[i]!].length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join(' | ')} |`;
  console.log(line(table[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table.slice(1)) console.log(line(row));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
