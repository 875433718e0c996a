import { describe, expect, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { kvStoresDetector } from './kv-stores.js';
import { scanFixtures } from '../scan-fixtures.test-helper.js';

// Databases made by H2's RunScript, Kyoto Cabinet's and QDBM's managers; near misses (generate.sh).
testDetector(
  kvStoresDetector,
  {
    fixtures: new URL('../../fixtures/kv-stores/', import.meta.url),
    valid: [
      { file: 'plain.mv.db', format: 'h2-mvstore', status: 'analysable', reasons: ['H2_STORE_HEADER'] },
      {
        file: 'aes.mv.db',
        format: 'h2-encrypted',
        status: 'encrypted',
        reasons: ['H2_ENCRYPT_HEADER'],
        encryption: { scheme: 'h2-aes-xts', keyHint: { kind: 'password' } },
      },
      { file: 'notes.kch', format: 'kyotocabinet', status: 'analysable', reasons: ['KYOTOCABINET_HEADER'] },
      { file: 'notes.kct', format: 'kyotocabinet', status: 'analysable', reasons: ['KYOTOCABINET_HEADER'] },
      { file: 'notes.dp', format: 'qdbm-depot', status: 'analysable', reasons: ['QDBM_DEPOT_HEADER'] },
      { file: 'notes.gdbm-dump', format: 'gdbm-dump', status: 'analysable', reasons: ['GDBM_FLAT_DUMP'] },
      { file: 'notes-numsync.gdbm', format: 'gdbm', status: 'analysable', reasons: ['GDBM_NUMSYNC_HEADER'] },
    ],
    invalid: [
      { file: 'kc-magic-then-random.bin', name: 'the Kyoto Cabinet magic and type, then random bytes (no size)' },
      { file: 'h2-bad-checksum.bin', name: 'an H2 header whose Fletcher-32 was changed' },
      { file: 'gdbm-banner-then-random.bin', name: "a GDBM dump's banner, then random bytes" },
      {
        file: 'gdbm-numsync-magic-then-random.bin',
        name: "an extended GDBM file's magic and block size, then random bytes",
      },
    ],
  },
  { framework: { describe, it } },
);

describe('embedded databases through the pipeline', () => {
  it('names them (unrecognised binary before) and no longer calls an encrypted H2 file SQLCipher', async () => {
    const items = await scanFixtures('kv-stores');
    expect(items.get('aes.mv.db')!.format).toMatchObject({ id: 'h2-encrypted', detector: 'kv-stores' });
    expect(items.get('plain.mv.db')!.classification.status).toBe('analysable');
    expect(items.get('notes.kch')!.classification.reasons[0]!.figures).toMatchObject({ type: 'hash', size: 7248 });
    expect(items.get('notes.kct')!.classification.reasons[0]!.figures).toMatchObject({ type: 'tree' });
    expect(items.get('notes.dp')!.format).toMatchObject({ id: 'qdbm-depot', extensionMismatch: false });
    // gdbm_dump's binary format was unrecognised structured binary (opaque)
    expect(items.get('notes.gdbm-dump')!.format).toMatchObject({ id: 'gdbm-dump', detector: 'kv-stores' });
    expect(items.get('notes.gdbm-dump')!.classification.reasons[0]!.figures).toMatchObject({ pairs: 20 });
    expect(items.get('gdbm-banner-then-random.bin')!.classification.status).not.toBe('analysable');
    // libmagic 5.44 knows the standard GDBM magics only: the extended format was unrecognised binary
    expect(items.get('notes-numsync.gdbm')!.format).toMatchObject({ id: 'gdbm', detector: 'kv-stores' });
    expect(items.get('gdbm-numsync-magic-then-random.bin')!.classification.status).not.toBe('analysable');
  });
});
