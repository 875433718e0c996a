import { beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceItem } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { kerberosDetector } from './kerberos.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

const fixtures = new URL('../../fixtures/kerberos/', import.meta.url);

testDetector(
  kerberosDetector,
  {
    fixtures,
    valid: [
      // kinit's version 4 cache: a TGT, a service ticket from kvno and kinit's configuration entries.
      { file: 'alice.ccache', format: 'kerberos-ccache', status: 'analysable', reasons: ['KERBEROS_CCACHE_RECORDS'] },
      // ccache_type = 3: no header, the keyblock's enctype written twice.
      {
        file: 'alice-v3.ccache',
        format: 'kerberos-ccache',
        status: 'analysable',
        reasons: ['KERBEROS_CCACHE_RECORDS'],
      },
      // Written by Heimdal for BIND's GSS-TSIG tests.
      { file: 'machine.ccache', format: 'kerberos-ccache', status: 'analysable', reasons: ['KERBEROS_CCACHE_RECORDS'] },
      { file: 'service.keytab', format: 'kerberos-keytab', status: 'analysable', reasons: ['KERBEROS_KEYTAB_ENTRIES'] },
      { file: 'ktutil.keytab', format: 'kerberos-keytab', status: 'analysable', reasons: ['KERBEROS_KEYTAB_ENTRIES'] },
      // impacket's ticketConverter: a .kirbi whose credential part (the session keys) is in clear.
      { file: 'alice.kirbi', format: 'kerberos-krb-cred', status: 'analysable', reasons: ['KERBEROS_KRB_CRED'] },
      // The credential part encrypted, as a forwarded credential travels.
      {
        file: 'enc-part.kirbi',
        format: 'kerberos-krb-cred-encrypted',
        status: 'encrypted',
        reasons: ['KERBEROS_KRB_CRED'],
        encryption: { scheme: 'krb-cred-etype-18', scope: 'partial' },
      },
      // Cut short: the ticket before the cut is whole, the session keys are gone.
      { file: 'cut.kirbi', format: 'kerberos-krb-cred-cut', status: 'opaque', reasons: ['KERBEROS_KRB_CRED_CUT'] },
    ],
    invalid: [{ file: 'cut.ccache' }, { file: 'random-0504.bin' }],
  },
  { framework: { describe, it } },
);

describe('kerberos through the pipeline: what the reason names', () => {
  let items: Map<string, EvidenceItem>;
  beforeAll(async () => {
    items = await scanFixtures('kerberos');
  });
  const figures = (file: string) => items.get(file)?.classification.reasons.find((r) => r.by === 'kerberos')?.figures;

  it("names the default principal, the tickets and kinit's configuration entries of a version 4 cache", () => {
    expect(items.get('alice.ccache')?.format?.id).toBe('kerberos-ccache');
    expect(figures('alice.ccache')).toMatchObject({
      version: 4,
      principal: 'alice@EXAMPLE.ORG',
      tickets: 2,
      enctypes: '18',
    });
    expect(figures('alice.ccache')?.configEntries).toBeGreaterThan(0);
  });

  it('reads version 3 and a cache Heimdal wrote', () => {
    expect(figures('alice-v3.ccache')).toMatchObject({ version: 3, principal: 'alice@EXAMPLE.ORG', tickets: 1 });
    expect(figures('machine.ccache')).toMatchObject({
      version: 4,
      principal: 'host/machine.example.com@EXAMPLE.COM',
      tickets: 2,
    });
  });

  it("lists a keytab's entries, enctypes and the 32-bit key version ktutil writes", () => {
    expect(figures('service.keytab')).toMatchObject({
      entries: 2,
      principal: 'host/files.example.org@EXAMPLE.ORG',
      enctypes: '18, 17',
      kvno: 2,
    });
    expect(figures('ktutil.keytab')).toMatchObject({ entries: 1, principal: 'bob@EXAMPLE.ORG', kvno: 3 });
    expect(items.get('service.keytab')?.classification.status).toBe('analysable');
  });

  it('names the tickets and the client of a .kirbi ticket export', () => {
    expect(figures('alice.kirbi')).toEqual({
      tickets: 1,
      server: 'krbtgt/EXAMPLE.ORG@EXAMPLE.ORG',
      encPartEtype: 0,
      client: 'alice@EXAMPLE.ORG',
    });
    expect(figures('enc-part.kirbi')).toEqual({
      tickets: 1,
      server: 'krbtgt/EXAMPLE.ORG@EXAMPLE.ORG',
      encPartEtype: 18,
    });
  });

  it('leaves a cut cache and random bytes behind 05 04 to others', () => {
    expect(items.get('cut.ccache')?.format?.id).not.toMatch(/^kerberos/);
    expect(items.get('random-0504.bin')?.format?.id).not.toMatch(/^kerberos/);
  });
});
