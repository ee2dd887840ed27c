/**
 * Throw-away TLS material made with the openssl CLI for the TLS tests: a self-signed certificate for
 * 127.0.0.1, and a second CA with a certificate for the wrong host name. The project's fixture CA
 * (dev-tools/province-sim/tls) signs the good certificate.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../kiosk-process.js';

export interface Pem {
  key: string;
  cert: string;
}

export interface TestCerts {
  dir: string;
  fixtureCa: string;
  good: Pem;
  selfSigned: Pem;
  otherCa: string;
  wrongHost: Pem;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-sec-tls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    dir,
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  );
  openssl(
    dir,
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca2.key',
    '-out',
    'ca2.pem',
    '-days',
    '2',
    '-subj',
    '/CN=hcp-sec other CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl(
    dir,
    'req',
    ...ec,
    '-keyout',
    'wrong.key',
    '-out',
    'wrong.csr',
    '-subj',
    '/CN=province.example.invalid',
  );
  fs.writeFileSync(path.join(dir, 'wrong.ext'), 'subjectAltName=DNS:province.example.invalid\n');
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'wrong.csr',
    '-CA',
    'ca2.pem',
    '-CAkey',
    'ca2.key',
    '-CAcreateserial',
    '-out',
    'wrong.pem',
    '-days',
    '2',
    '-extfile',
    'wrong.ext',
  );
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const fixtures = path.join(ROOT, 'dev-tools', 'province-sim', 'tls');
  return {
    dir,
    fixtureCa: fs.readFileSync(path.join(fixtures, 'ca.pem'), 'utf8'),
    good: {
      key: fs.readFileSync(path.join(fixtures, 'server.key'), 'utf8'),
      cert: fs.readFileSync(path.join(fixtures, 'server.pem'), 'utf8'),
    },
    selfSigned: { key: read('self.key'), cert: read('self.pem') },
    otherCa: read('ca2.pem'),
    wrongHost: { key: read('wrong.key'), cert: read('wrong.pem') },
  };
}
