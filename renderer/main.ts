/**
 * Entry point: connect to the kiosk core, then render every view it pushes.
 */
import { createKioskClient } from './api-client.js';
import { installKeyRouting, installKioskHygiene } from './hygiene.js';
import { initI18n } from './i18n.js';
import { KioskRenderer } from './render.js';

async function start(): Promise<void> {
  installKioskHygiene(document);
  // zh-CN until the first view says otherwise (the view carries the configured language).
  await initI18n('zh-CN');
  const root = document.getElementById('app');
  if (root === null) throw new Error('#app missing from index.html');
  const client = createKioskClient(window);
  // CSP violations are reported to the main process (counted on diagnostics as E8013). Only the origin of
  // what was blocked travels: a path or query could carry PII. `inline` / `eval` stay as they are.
  document.addEventListener('securitypolicyviolation', (event) => {
    let origin = event.blockedURI;
    try {
      origin = new URL(event.blockedURI).origin;
    } catch {
      // a keyword, not a URL
    }
    void client.api.reportCspViolation(event.effectiveDirective, origin.slice(0, 100)).catch(() => undefined);
  });
  const renderer = new KioskRenderer(root, client.api);
  client.onConnection((connected) => renderer.setConnected(connected));
  client.onView((view) => void renderer.show(view));
  installKeyRouting(document, {
    padKey(code) {
      void client.api.padKey(code).catch(() => undefined);
    },
  });
}

void start().catch((error: unknown) => console.error(error));
