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
