/**
 * Shared pieces of the citizen acceptance tests: screenshot baselines (compared with a small tolerance,
 * written only when UPDATE_SCREENSHOTS=1), axe with the serious/critical bar, the read-only database, and
 * a generated clerk photo.
 */
import AxeBuilder from '@axe-core/playwright';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ReasonOption } from '../../../src/shared/kiosk-api.js';
import { comparePng, encodePng } from './png.js';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const BASELINES = path.join(REPO, 'test', 'e2e', '__screenshots__');
const ACTUALS = path.join(REPO, 'test-results', 'citizen-screenshots');
/** At most this share of pixels may differ from the baseline (anti-aliasing, font hinting). */
export const MAX_DIFF_RATIO = 0.01;

/**
 * Screenshots the page and compares it with `__screenshots__/<name>.png`. A missing or different baseline is
 * written only when UPDATE_SCREENSHOTS=1; otherwise the test fails and the actual image is left in
 * test-results/citizen-screenshots/ for a look.
 */
export async function expectScreenshot(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  // The countdown moves on its own; it is masked so the picture depends only on the view.
  const actual = await page.screenshot({
    animations: 'disabled',
    caret: 'hide',
    mask: [page.locator('.countdown-value'), ...mask],
    maskColor: '#ff00ff',
  });
  const baseline = path.join(BASELINES, `${name}.png`);
  const update = process.env['UPDATE_SCREENSHOTS'] === '1';
  if (!fs.existsSync(baseline)) {
    if (update) {
      fs.mkdirSync(BASELINES, { recursive: true });
      fs.writeFileSync(baseline, actual);
      return;
    }
    saveActual(name, actual);
    throw new Error(
      `no screenshot baseline ${path.relative(REPO, baseline)}: run with UPDATE_SCREENSHOTS=1 to create it (the actual image is in ${path.relative(REPO, ACTUALS)})`,
    );
  }
  const result = comparePng(fs.readFileSync(baseline), actual);
  if (result.ratio <= MAX_DIFF_RATIO) return;
  if (update) {
    fs.writeFileSync(baseline, actual);
    return;
  }
  saveActual(name, actual);
  throw new Error(
    `screenshot ${name} differs from its baseline: ${result.sameSize ? `${result.differing} of ${result.total} pixels (${(result.ratio * 100).toFixed(2)} % > ${MAX_DIFF_RATIO * 100} %)` : 'different size'}; actual image in ${path.relative(REPO, ACTUALS)}, UPDATE_SCREENSHOTS=1 accepts it`,
  );
}

function saveActual(name: string, png: Buffer): void {
  fs.mkdirSync(ACTUALS, { recursive: true });
  fs.writeFileSync(path.join(ACTUALS, `${name}.actual.png`), png);
}

/**
 * axe-core's serious and critical WCAG 2 A/AA violations. `meta-viewport` is off on purpose: a counter kiosk
 * must not pinch-zoom (it would strand the next citizen on a zoomed screen); the large-type toggle is the
 * accessible way to enlarge text.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .disableRules(['meta-viewport'])
    .analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}

export function openDb(dataDir: string): Database.Database {
  return new Database(path.join(dataDir, 'kiosk.sqlite'), { readonly: true, fileMustExist: true });
}

export function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = openDb(dataDir);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A 90×120 PNG of a head-and-shoulders silhouette, as a `data:` URL (window-link photos are inline). */
export function clerkPhoto(): string {
  const width = 90;
  const height = 120;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const head = (x - 45) ** 2 + (y - 45) ** 2 < 22 ** 2;
      const body = (x - 45) ** 2 / 40 ** 2 + (y - 125) ** 2 / 50 ** 2 < 1;
      const i = (y * width + x) * 4;
      const [r, g, b] = head ? [222, 184, 150] : body ? [30, 60, 110] : [200, 214, 228];
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return `data:image/png;base64,${encodePng({ width, height, data }).toString('base64')}`;
}

interface CatalogueFile {
  version: string;
  reasons: Record<'1' | '2', ReasonOption[]>;
}

/** The built-in catalogue's reasons for a 差评 level (the real kiosk shows these until the first download). */
export function builtinReasons(level: 'dissatisfied' | 'very_dissatisfied'): ReasonOption[] {
  const file = JSON.parse(
    fs.readFileSync(path.join(REPO, 'assets', 'default-catalogue.json'), 'utf8'),
  ) as CatalogueFile;
  return file.reasons[level === 'dissatisfied' ? '2' : '1'].map(({ code, text }) => ({ code, text }));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
