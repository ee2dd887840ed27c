// Prints the README's error-code table from the one registry (src/shared/errors). `npx tsx scripts/error-table.ts`
import { ALL_ERROR_CODES } from '../src/shared/errors/index.js';

console.log('| code | name | meaning and what to do |');
console.log('|---|---|---|');
for (const info of ALL_ERROR_CODES) {
  console.log(
    `| <a id="${info.code.toLowerCase()}"></a>\`${info.code}\` | \`${info.name}\` | ${info.help} |`,
  );
}
