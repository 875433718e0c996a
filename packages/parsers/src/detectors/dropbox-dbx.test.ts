import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { dropboxDbxDetector } from './dropbox-dbx.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';
import { seededBytes } from '../seeded-bytes.test-helper.js';
import { wholeFileProbe } from './probe.test-helper.js';

// Encrypted .dbx written from the published layout (no SEE build here), near misses by sqlite3 and by hand (generate.sh).
const ctx = { limits: { probeHeadBytes: 16384, probeTailBytes: 8192 }, signal: new AbortController().signal };
const dbx = (file: string) => ({
  file,
  format: 'dropbox-dbx',
  status: 'encrypted' as const,
  reasons: ['DROPBOX_DBX_PATH'],
  encryption: { scheme: 'sqlite-see', keyHint: { kind: 'key-file' as const } },
});

testDetector(
  dropboxDbxDetector,
  {
    fixtures: new URL('../../fixtures/dropbox-dbx/', import.meta.url),
    valid: [
      dbx('home/.dropbox/instance1/config.dbx'),
      dbx('home/.dropbox/instance1/filecache.dbx'),
      dbx('home/.dropbox/instance_db/instance.dbx'),
      dbx('home/AppData/Local/Dropbox/instance1/sync_history.dbx'),
    ],
    invalid: [
      { file: 'near/Dropbox/Inbox.dbx', name: 'an Outlook Express folder file (clear header)' },
      { file: 'near/Dropbox/plain.dbx', name: 'a plain SQLite database named .dbx' },
      { file: 'near/elsewhere/pages.dbx', name: 'random pages outside a Dropbox folder' },
    ],
  },
  { framework: { describe, it } },
);

describe('Dropbox .dbx databases', () => {
  it('names them with the SEE scheme and the key store, where the statistics gave an unknown scheme', async () => {
    const items = await scanFixtures('dropbox-dbx');
    const config = items.get('home/.dropbox/instance1/config.dbx')!;
    expect(config.format).toMatchObject({ id: 'dropbox-dbx', detector: 'dropbox-dbx' });
    expect(config.encryption!.keyHint!.lookFor).toContain('**/.dropbox/hostkeys');
    expect(items.get('near/Dropbox/plain.dbx')!.format?.id).toBe('sqlite');
    expect(items.get('near/elsewhere/pages.dbx')!.format?.id).not.toBe('dropbox-dbx');
    expect(items.get('near/Dropbox/Inbox.dbx')!.classification.status).not.toBe('encrypted');
  });

  it('needs whole 512-byte units and random bytes', () => {
    const probe = (bytes: Uint8Array, p: string) => ({ ...wholeFileProbe(bytes, path.basename(p)), logicalPath: p });
    const at = 'Users/x/AppData/Local/Dropbox/instance1/config.dbx';
    expect(dropboxDbxDetector.detect(probe(seededBytes(9, 8192), at), ctx)).toMatchObject({
      format: { id: 'dropbox-dbx' },
    });
    expect(dropboxDbxDetector.detect(probe(seededBytes(9, 8000), at), ctx)).toBeUndefined();
    expect(dropboxDbxDetector.detect(probe(new Uint8Array(8192).fill(0x41), at), ctx)).toBeUndefined();
  });
});
