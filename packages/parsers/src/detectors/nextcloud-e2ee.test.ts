import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { nextcloudE2eeDetector } from './nextcloud-e2ee.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Written from the end-to-end encryption RFC with real RSA-OAEP and AES-GCM (generate.sh); near misses.
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const dir = 'data/appdata_oc1a2b3c4d/end_to_end_encryption/meta-data/';
const meta = (file: string, version: number) => ({
  file,
  format: 'nextcloud-e2ee-metadata',
  status: 'encrypted' as const,
  reasons: ['NEXTCLOUD_E2EE_METADATA'],
  encryption: { scheme: `nextcloud-e2ee-v${version}`, keyHint: { kind: 'keystore' as const } },
});

testDetector(
  nextcloudE2eeDetector,
  {
    fixtures: new URL('../../fixtures/nextcloud-e2ee/', import.meta.url),
    valid: [meta(`${dir}184/meta.data`, 2), meta(`${dir}201/meta.data`, 1)],
    invalid: [
      { file: 'near/settings.json', name: 'JSON with "metadata" and "users" in clear' },
      { file: 'near/not-base64.json', name: 'a version-2 document whose ciphertext is words' },
    ],
  },
  { framework: { describe, it } },
);

describe('Nextcloud end-to-end encryption metadata', () => {
  it('counts the users (version 2) and the file entries (version 1); clear JSON stays analysable', async () => {
    const items = await scanFixtures('nextcloud-e2ee');
    expect(items.get(`${dir}184/meta.data`)!.classification.reasons[0]!.figures).toMatchObject({
      version: 2,
      entries: 1,
    });
    expect(items.get(`${dir}201/meta.data`)!.classification.reasons[0]!.figures).toMatchObject({
      version: 1,
      entries: 2,
    });
    expect(items.get('near/settings.json')!.classification.status).toBe('analysable');
    expect(items.get('near/not-base64.json')!.classification.status).toBe('analysable');
  });

  it('needs every user key and file entry to be base64 ciphertext', () => {
    const doc = (files: unknown) =>
      wholeFileProbe(
        Buffer.from(JSON.stringify({ metadata: { metadataKeys: { '0': 'QUJDREVGR0hJSktMTU5PUA==' } }, files })),
        'm',
      );
    const entry = {
      encrypted: 'QUJDREVGR0hJSktMTU5PUA==',
      initializationVector: 'QUJDREVGR0hJSktM',
      authenticationTag: 'QUJDREVGR0hJSktMTU5PUA==',
    };
    expect(nextcloudE2eeDetector.detect(doc({ a: entry }), ctx)).toMatchObject({
      format: { id: 'nextcloud-e2ee-metadata' },
    });
    expect(nextcloudE2eeDetector.detect(doc({ a: { ...entry, encrypted: 'plain name.txt' } }), ctx)).toBeUndefined();
    expect(
      nextcloudE2eeDetector.detect(wholeFileProbe(Buffer.from('{"metadata": {"version": 1}}'), 'm'), ctx),
    ).toBeUndefined();
  });
});
