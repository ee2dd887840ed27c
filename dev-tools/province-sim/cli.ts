/**
 * `npm run province-sim -- [--port 8443] [--db province-sim.sqlite] [--key <sm2 private hex>]
 *  [--app-mark hcp-demo] [--app-word <secret>]`: the province test server for demos and manual runs.
 * Without --key it makes a key pair and prints the public key to provision (`province.publicKey`).
 */
import { generateSm2KeyPair } from '../../src/sync/province/sm2.js';
import { sm2 } from 'sm-crypto-v2';
import { startProvinceServer } from './server.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const privateKey = arg('key') ?? generateSm2KeyPair().privateKey;
  const server = await startProvinceServer({
    port: Number(arg('port') ?? 8443),
    dbPath: arg('db') ?? 'province-sim.sqlite',
    privateKey,
    appMark: arg('app-mark') ?? 'hcp-demo',
    appWord: arg('app-word') ?? 'demo-app-word',
  });
  console.log(`province simulator (national-template/1) on ${server.url}`);
  console.log(`province.publicKey = ${sm2.getPublicKeyFromPrivateKey(privateKey)}`);
  if (!arg('key')) console.log(`private key (this run only; pass with --key to keep it): ${privateKey}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
