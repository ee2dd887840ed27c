/** Command-line options of the kiosk (`npm start -- …`), validated eagerly with precise messages. */
import { isIP } from 'node:net';

export interface CliOptions {
  dataDir: string | null;
  noWindow: boolean;
  linkPort: number | null;
  uiPort: number | null;
  /** Demo mode only: a JSON file of configuration overrides (e.g. shorter session timeouts for tests). */
  demoConfig: string | null;
  /** Unprovisioned: demo mode (`--demo`) instead of setup mode (window-link.md r2). */
  demo: boolean;
  /** Setup mode: the address the provisioning route listens on (default 0.0.0.0). */
  linkHost: string | null;
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    dataDir: null,
    noWindow: false,
    linkPort: null,
    uiPort: null,
    demoConfig: null,
    demo: false,
    linkHost: null,
  };
  const port = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (!value || !Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`${flag} needs a port number 0–65535`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    switch (arg) {
      case '--data-dir': {
        const value = argv[++i];
        if (!value) throw new Error('--data-dir needs a directory');
        options.dataDir = value;
        break;
      }
      case '--demo-config': {
        const value = argv[++i];
        if (!value) throw new Error('--demo-config needs a JSON file');
        options.demoConfig = value;
        break;
      }
      case '--demo':
        options.demo = true;
        break;
      case '--link-host': {
        const value = argv[++i];
        // An IP literal: a name would be resolved at listen time, and could resolve to anything.
        if (!value || isIP(value) === 0) throw new Error('--link-host needs an IP address');
        options.linkHost = value;
        break;
      }
      case '--no-window':
        options.noWindow = true;
        break;
      case '--browser':
        break;
      case '--link-port':
        options.linkPort = port(arg, argv[++i]);
        break;
      case '--ui-port':
        options.uiPort = port(arg, argv[++i]);
        break;
      default:
        throw new Error(
          `unknown option ${arg} (known: --data-dir DIR, --demo, --no-window, --link-host IP, --link-port N, --ui-port N, --demo-config FILE)`,
        );
    }
  }
  return options;
}
