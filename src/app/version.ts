import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function readVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      // compiled output sits one level deeper (dist/main/src/app)
    }
  }
  return '0.0.0';
}

export const KIOSK_VERSION = readVersion();
