import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const bin = (pkg: string, file: string) => path.join(root, 'node_modules', pkg, file);

function run(file: string, args: string[]) {
  const result = spawnSync(process.execPath, [file, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`.trim() };
}

// The quality gates are part of `npm test`, so CI counts a lint or type error as a failed test.
describe('static checks', () => {
  it('the whole project type-checks under TypeScript strict (main, drivers, tests and renderer)', () => {
    const main = run(bin('typescript', 'bin/tsc'), ['-p', 'tsconfig.json', '--noEmit']);
    expect(main.output).toBe('');
    const renderer = run(bin('typescript', 'bin/tsc'), ['-p', 'renderer/tsconfig.json', '--noEmit']);
    expect(renderer.output).toBe('');
  }, 240_000);

  it('ESLint with typescript-eslint reports no problem', () => {
    const result = run(bin('eslint', 'bin/eslint.js'), ['.', '--max-warnings=0']);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 240_000);

  it('every file is formatted with Prettier', () => {
    const result = run(bin('prettier', 'bin/prettier.cjs'), ['--check', '.', '--log-level', 'warn']);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  }, 120_000);
});
