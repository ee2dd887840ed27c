/**
 * The three locale files must carry the same keys and the same placeholders as zh-CN (the reference), and
 * every key the renderer names literally must exist. The compile-time I18nKey type covers zh-CN only;
 * these tests cover zh-TW and en, which a type cannot see.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/shared/kiosk-api.js';

const LOCALES = path.resolve(__dirname, '../../assets/locales');
const RENDERER = path.resolve(__dirname, '../../renderer');

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

async function locale(language: string): Promise<Map<string, string>> {
  return leaves(JSON.parse(await fs.readFile(path.join(LOCALES, `${language}.json`), 'utf8')) as Tree);
}

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

describe('The locale files', () => {
  it.each(LANGUAGES)('%s has every key of zh-CN and no others', async (language) => {
    const reference = await locale('zh-CN');
    const other = await locale(language);
    const missing = [...reference.keys()].filter((key) => !other.has(key));
    const extra = [...other.keys()].filter((key) => !reference.has(key));
    expect({ language, missing, extra }).toEqual({ language, missing: [], extra: [] });
  });

  it.each(LANGUAGES)('%s keeps the placeholders of zh-CN and has no empty text', async (language) => {
    const reference = await locale('zh-CN');
    const other = await locale(language);
    for (const [key, text] of other) {
      expect(text.trim(), `${language} ${key}`).not.toBe('');
      expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(reference.get(key) ?? ''));
    }
  });

  it('names the five levels as domain-rules §1 does', async () => {
    const zh = await locale('zh-CN');
    const names = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'].map((k) =>
      zh.get(`level.${k}`),
    );
    expect(names).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
  });

  it('has every key that renderer code passes to t() literally', async () => {
    const reference = await locale('zh-CN');
    const files = (await fs.readdir(RENDERER)).filter((file) => file.endsWith('.ts'));
    const used: string[] = [];
    for (const file of files) {
      const source = await fs.readFile(path.join(RENDERER, file), 'utf8');
      for (const match of source.matchAll(/\bt\(\s*'([\w.-]+)'/g)) used.push(match[1]!);
    }
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((key) => !reference.has(key))).toEqual([]);
  });
});
