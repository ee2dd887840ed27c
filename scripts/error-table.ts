// The README's error-code table, made from the one registry (src/shared/errors).
// `npx tsx scripts/error-table.ts` prints it; `--write` replaces the table between the README markers.
import fs from 'node:fs';
import { ALL_ERROR_CODES } from '../src/shared/errors/index.js';

const START = '<!-- error-table:start -->';
const END = '<!-- error-table:end -->';

const table = [
  '| code | name | meaning and what to do |',
  '|---|---|---|',
  ...ALL_ERROR_CODES.map(
    (info) => `| <a id="${info.code.toLowerCase()}"></a>\`${info.code}\` | \`${info.name}\` | ${info.help} |`,
  ),
].join('\n');

if (process.argv.includes('--write')) {
  const readme = fs.readFileSync('README.md', 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md needs the markers ${START} … ${END}`);
  fs.writeFileSync('README.md', `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`);
} else {
  console.log(table);
}
