/**
 * `npm run sim -- pad|reader [--tcp PORT]`: runs a simulator on a socat pty pair (default; prints the
 * kiosk-side path to configure) or on 127.0.0.1:PORT, with a console:
 *   press N · card mainland|hk|foreign|long-term|bad-check|2023|nine-no-y · remove · garbage N · stall MS ·
 *   sam 90|60|66 · corrupt · unplug · replug · quit
 * Identities are the fictitious samples of identities.ts; the console prints masked forms only.
 */
import readline from 'node:readline';
import { maskIdNumber, maskName } from '../idcard/mask.js';
import * as ids from './identities.js';
import { PadSimulator } from './pad-sim.js';
import { ReaderSimulator } from './reader-sim.js';
import type { SimLinkOptions } from './sim-link.js';

const CARDS = {
  mainland: ids.MAINLAND,
  hk: ids.HK_MO_TW,
  foreign: ids.FOREIGN,
  'long-term': ids.MAINLAND_LONG_TERM,
  'bad-check': ids.BAD_CHECK_DIGIT,
  '2023': ids.FOREIGN_2023,
  'nine-no-y': ids.NINE_WITHOUT_Y_TYPE,
} as const;

async function main(argv: string[]): Promise<void> {
  const kind = argv[0];
  const tcpAt = argv.indexOf('--tcp');
  const link: SimLinkOptions =
    tcpAt >= 0 ? { kind: 'tcp', port: Number(argv[tcpAt + 1]) } : { kind: 'pty', name: kind ?? 'dev' };
  if (kind !== 'pad' && kind !== 'reader') {
    console.error('usage: npm run sim -- pad|reader [--tcp PORT]');
    process.exitCode = 2;
    return;
  }
  const pad = kind === 'pad' ? new PadSimulator(link, { log: (l) => console.log(`[pad] ${l}`) }) : undefined;
  const reader = kind === 'reader' ? new ReaderSimulator(link) : undefined;
  const sim = pad ?? reader!;
  await sim.start();
  console.log(`${kind} simulator ready; configure the kiosk with: ${sim.kioskPath}`);
  if (link.kind === 'pty')
    console.log(`  devices.${kind}: { "transport": "serial", "path": "${sim.kioskPath}" }`);
  else console.log(`  devices.${kind}: { "transport": "tcp", "url": "${sim.kioskPath}" }`);

  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: `${kind}> ` });
  rl.prompt();
  for await (const line of rl) {
    const [cmd, arg] = line.trim().split(/\s+/);
    try {
      if (cmd === 'quit' || cmd === 'exit') break;
      else if (cmd === 'press' && pad) console.log(`RATING key ${arg} counter ${pad.press(Number(arg))}`);
      else if (cmd === 'card' && reader) {
        const card = CARDS[arg as keyof typeof CARDS];
        if (!card) console.log(`cards: ${Object.keys(CARDS).join(', ')}`);
        else {
          reader.presentCard(card);
          console.log(
            `card ${card.cardType} ${maskName(card.name)} ${maskIdNumber(card.certKey)} in the field`,
          );
        }
      } else if (cmd === 'remove' && reader) reader.removeCard();
      else if (cmd === 'sam' && reader) reader.samStatus = parseInt(arg ?? '90', 16);
      else if (cmd === 'corrupt' && reader) reader.corruptNextChecksum();
      else if (cmd === 'garbage') sim.sendGarbage(Number(arg ?? 32));
      else if (cmd === 'stall') sim.stall(Number(arg ?? 5000));
      else if (cmd === 'unplug') await sim.unplug();
      else if (cmd === 'replug') {
        await sim.replug();
        console.log(`replugged: ${sim.kioskPath}`);
      } else if (cmd)
        console.log(
          'commands: press N | card TYPE | remove | garbage N | stall MS | sam 90|60|66 | corrupt | unplug | replug | quit',
        );
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
    }
    rl.prompt();
  }
  rl.close();
  await sim.stop();
}

void main(process.argv.slice(2));
