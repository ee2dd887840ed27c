/**
 * The write path's pure rules: the service key (domain-rules §2 ⟨r2⟩), which clerk a record names (§11 ⟨r2⟩)
 * and which identity goes on which record (§4, §5 ⟨r2⟩).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  certTypeCode,
  certTypeOfLegacyCode,
  clerkForService,
  clerkOfStoredService,
  DEFAULT_CERT_TYPE_CODES,
  identityForRecord,
  identityOfSealed,
  serviceKeyOf,
  SERVICE_NODES,
  shanghaiDay,
  type CitizenIdentity,
  type KeyedService,
} from '../../src/rating-path/index.js';

const DAY = 86_400_000;
/** 2026-11-26 00:00 Asia/Shanghai. */
const MIDNIGHT = Date.UTC(2026, 10, 25, 16);

const service = (extra: Partial<KeyedService> = {}): KeyedService => ({
  ticketNo: 'A023',
  projectNo: null,
  serviceNumber: '1',
  node: 'completed',
  completedAt: MIDNIGHT + 9 * 3_600_000,
  ...extra,
});

describe('the service key', () => {
  it("gives tomorrow's ticket A023 another key than today's, and the same key all day long", () => {
    const today = serviceKeyOf(service({ completedAt: MIDNIGHT }));
    expect(serviceKeyOf(service({ completedAt: MIDNIGHT + DAY - 1 }))).toEqual(today);
    expect(serviceKeyOf(service({ completedAt: MIDNIGHT + DAY }))).not.toEqual(today);
    // The day is Asia/Shanghai's, not UTC's: 23:59 and 00:00 Beijing time are two days.
    expect(serviceKeyOf(service({ completedAt: MIDNIGHT - 1 }))).not.toEqual(today);
  });

  it('keys a service with a projectNo by (projectNo, serviceNumber, node) alone, whatever ticket or day', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]\d{3}$/),
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.constantFrom(...SERVICE_NODES),
        (ticketNo, at, node) => {
          const key = serviceKeyOf(service({ ticketNo, completedAt: at, projectNo: 'P-1', node }));
          expect(key).toEqual({ kind: 'project', projectNo: 'P-1', serviceNumber: '1', node });
        },
      ),
    );
  });

  it('makes the node and the serviceNumber part of every key', () => {
    for (const projectNo of [null, 'P-1']) {
      const keys = SERVICE_NODES.flatMap((node) =>
        ['1', '2'].map((serviceNumber) =>
          JSON.stringify(serviceKeyOf(service({ projectNo, node, serviceNumber }))),
        ),
      );
      expect(new Set(keys).size).toBe(6);
    }
  });

  it('counts Asia/Shanghai days: the day changes at 16:00 UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: DAY - 1 }), (day, ms) => {
        const start = day * DAY - 8 * 3_600_000;
        expect(shanghaiDay(start + ms)).toBe(day);
      }),
    );
  });
});

describe('the clerk on a record', () => {
  const reported = { staffId: 'W001', name: '窗口系统报的' };
  const signedIn = { staffId: 'S002', name: '签到的' };
  const fallback = { staffId: 'D003', name: '窗口负责人' };

  it("takes the window system's staff first, then the signed-in clerk, then the window's defaultStaff", () => {
    expect(clerkForService(reported, signedIn, fallback)).toEqual(reported);
    expect(clerkForService(null, signedIn, fallback)).toEqual(signedIn);
    expect(clerkForService(null, null, fallback)).toEqual(fallback);
  });

  it('always names somebody: any mix of absent or empty clerks ends at a clerk with an id and a name', () => {
    const maybe = fc.option(
      fc.record({ staffId: fc.constantFrom('', 'X1'), name: fc.constantFrom('', '某') }),
    );
    fc.assert(
      fc.property(maybe, maybe, (a, b) => {
        const clerk = clerkForService(a, b, fallback);
        expect(clerk.staffId).not.toBe('');
        expect(clerk.name).not.toBe('');
      }),
    );
  });

  it('names the defaultStaff on a record of a service stored without a clerk', () => {
    expect(clerkOfStoredService({ staffId: null, staffName: null }, fallback)).toEqual(fallback);
    expect(clerkOfStoredService({ staffId: 'S9', staffName: '李四' }, fallback)).toEqual({
      staffId: 'S9',
      name: '李四',
    });
  });
});

describe('the identity on a record', () => {
  const citizen: CitizenIdentity = {
    certKey: '810000199001011230',
    userName: '陈大文',
    userProp: '1',
    certType: 'residence-permit',
  };

  it("puts the service's identity on the citizen's own rating and none on a default", () => {
    expect(identityForRecord('citizen', citizen)).toEqual(citizen);
    expect(identityForRecord('default', citizen)).toBeNull();
    expect(identityForRecord('citizen', null)).toBeNull();
  });

  it('reads an identity sealed before document types (userPageType 111) as a 居民身份证', () => {
    const old = {
      certKey: '46010019900101123X',
      userName: '张三',
      userProp: '1' as const,
      userPageType: '111',
    };
    expect(identityOfSealed(old)).toEqual({
      certKey: '46010019900101123X',
      userName: '张三',
      userProp: '1',
      certType: 'id-card',
    });
    expect(certTypeOfLegacyCode('554')).toBe('residence-permit');
    expect(certTypeOfLegacyCode('553')).toBe('foreign-permanent');
  });

  it('maps each document type to its own code and back', () => {
    for (const type of ['id-card', 'residence-permit', 'foreign-permanent', 'uscc'] as const) {
      expect(certTypeOfLegacyCode(certTypeCode(DEFAULT_CERT_TYPE_CODES, type))).toBe(type);
    }
  });
});
