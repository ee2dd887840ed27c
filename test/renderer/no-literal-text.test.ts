/**
 * On-screen text comes only from t(...) or from view data (see literal-scan.ts for the heuristic), and
 * the renderer never parses markup: staff names and messages may carry HTML or script.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLiteralText, stripComments } from './literal-scan.js';

const RENDERER = path.resolve(__dirname, '../../renderer');

async function rendererSources(): Promise<{ file: string; source: string }[]> {
  const entries = await fs.readdir(RENDERER, { recursive: true });
  const files = entries.filter((file) => file.endsWith('.ts') && !file.endsWith('vite.config.ts'));
  return Promise.all(
    files.map(async (file) => ({ file, source: await fs.readFile(path.join(RENDERER, file), 'utf8') })),
  );
}

describe('Renderer code', () => {
  it('puts no literal text on screen: every visible string comes from t() or the view', async () => {
    const sources = await rendererSources();
    expect(sources.length).toBeGreaterThan(5);
    const findings = sources.flatMap(({ file, source }) =>
      findLiteralText(source).map((finding) => `${file}:${finding.line} ${finding.text}`),
    );
    expect(findings).toEqual([]);
  });

  it('never parses markup (no innerHTML, outerHTML, insertAdjacentHTML, document.write or srcdoc)', async () => {
    for (const { file, source } of await rendererSources()) {
      expect(stripComments(source), file).not.toMatch(
        /\b(?:innerHTML|outerHTML|insertAdjacentHTML|document\.write|srcdoc)\b/,
      );
    }
  });

  it('has an index.html with no inline script, inline style or event-handler attribute', async () => {
    const html = await fs.readFile(path.join(RENDERER, 'index.html'), 'utf8');
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc=/);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});

describe('The literal-text heuristic', () => {
  it('flags visible text written as a literal, in any script', () => {
    const samples = [
      "node.textContent = '请评价';",
      'node.textContent = `Thanks ${name}`;',
      "button.setAttribute('aria-label', 'Close');",
      "el('p', { text: '满意' });",
      "el('img', { attrs: { alt: 'photo' } });",
      "setText(line, 'Bitte warten');",
      'node.title = "Hint";',
    ];
    for (const sample of samples) expect(findLiteralText(sample), sample).toHaveLength(1);
  });

  it('passes text from t(), from view data, symbols and comments', () => {
    const samples = [
      "node.textContent = t('thanks.title');",
      "el('p', { text: clerk.name });",
      "el('span', { text: filled ? '★' : '☆' });",
      'setText(hall, `${a} · ${b}`);',
      "// node.textContent = 'not code';",
      "el('div', { className: 'clerk-name' });",
    ];
    for (const sample of samples) expect(findLiteralText(sample), sample).toEqual([]);
  });
});
