import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ERROR_CODES } from '../../src/shared/errors/index.js';

const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('shows the two quick-start commands', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });

  it('lists every error code with an anchor the diagnostics screen can link to', () => {
    const missing = ALL_ERROR_CODES.filter(
      (info) =>
        !readme.includes(`<a id="${info.code.toLowerCase()}"></a>\`${info.code}\` | \`${info.name}\``),
    );
    expect(missing.map((m) => m.code)).toEqual([]);
  });

  it('error codes are unique and follow the band format', () => {
    const codes = ALL_ERROR_CODES.map((info) => info.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^E[1-8]\d{3}$/);
    const names = ALL_ERROR_CODES.map((info) => info.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
