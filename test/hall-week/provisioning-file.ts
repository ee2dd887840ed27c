/**
 * The hall manager's provisioning file for one window (README "Configuration and provisioning"): the
 * configuration, signed with the hall's Ed25519 provisioning key (trust on first use), pointing at the
 * province test server over loopback (http:// is allowed for loopback only, province-profile.md
 * "Transport") and at the simulated pad and reader ptys.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { signProvisioningConfig } from '../../src/config/provisioning.js';
import { HALL, type WindowSpec } from './plan.js';

export interface HallKey {
  privateKey: KeyObject;
  /** Raw 32-byte public key, base64 (`admin.provisioningPublicKey`). */
  publicKey: string;
}

export function newHallKey(): HallKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x ?? '';
  return { privateKey, publicKey: Buffer.from(x, 'base64url').toString('base64') };
}

export interface WindowProvisioning {
  window: WindowSpec;
  province: { baseUrl: string; appMark: string; appWord: string; publicKey: string };
  linkPort: number;
  padPath: string;
  readerPath: string;
  hallKey: HallKey;
  /** The scenario's session timings (seconds of scenario time). */
  session: { timeoutSec: number; reasonTimeoutSec: number; responseIntervalSec: number };
}

export interface ProvisionedWindow {
  document: { config: Record<string, unknown>; signature: string };
  linkToken: string;
  adminToken: string;
}

const token = () => randomBytes(32).toString('base64url');

export function provisioningFile(p: WindowProvisioning): ProvisionedWindow {
  const linkToken = token();
  const adminToken = token();
  const { window } = p;
  const roster = [window.defaultStaff, ...window.shiftClerks, ...window.reportClerks];
  const config: Record<string, unknown> = {
    revision: 1,
    hall: { name: HALL.name, code: HALL.code, areaCode: HALL.areaCode },
    department: { code: '11460100MB0000000X', name: '市场监督管理局' },
    windowNo: window.windowNo,
    // domain-rules §11 ⟨r2⟩: the window's responsible clerk, on every record nobody else is named on.
    window: { defaultStaff: window.defaultStaff },
    deviceId: window.deviceId,
    province: {
      baseUrl: p.province.baseUrl,
      appMark: p.province.appMark,
      appWord: p.province.appWord,
      publicKey: p.province.publicKey,
      pf: '5',
      defaultChannel: '7',
      dataSource: '001',
    },
    link: { listen: `127.0.0.1:${p.linkPort}`, linkToken, adminToken },
    devices: {
      pad: { transport: 'serial', path: p.padPath },
      reader: { transport: 'serial', path: p.readerPath },
    },
    session: { ...p.session, thanksSec: 1 },
    staff: roster.map((clerk) => ({ staffId: clerk.staffId, name: clerk.name })),
    admin: { provisioningPublicKey: p.hallKey.publicKey, staffCardKey: randomBytes(32).toString('base64') },
  };
  return {
    document: { config, signature: signProvisioningConfig(config, p.hallKey.privateKey) },
    linkToken,
    adminToken,
  };
}
