/**
 * What a container says about its entries decides: an encrypted entry whose ciphertext the container cannot give
 * alone (a member of an encrypted solid 7z block: no `open`) is classified from the facts, nothing read or hashed;
 * a problem the container marks as an error is recorded as one (7-Zip's CRC error on an extracted member).
 */
import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../model/manifest.js';
import type { EvidenceSource, SourceEntry } from '../sources/source.js';
import { encryptedMemberFormat } from '../sources/encrypted-member.js';
import { scan } from './scan.js';

const bytes = Buffer.from('hello, evidence\n');

class FactsSource implements EvidenceSource {
  readonly info: SourceInfo = { path: 'facts', kind: 'test' };
  async *entries(): AsyncIterable<SourceEntry> {
    yield {
      path: 'locked/report.pdf',
      kind: 'file',
      size: 3000,
      times: {},
      depth: 0,
      facts: {
        encryption: {
          scheme: '7z-aes-256',
          scope: 'full',
          format: encryptedMemberFormat('7z-aes-256'),
          reason: 'The listing marks this member encrypted.',
        },
      },
    };
    yield {
      path: 'damaged.txt',
      kind: 'file',
      size: bytes.length,
      times: {},
      depth: 0,
      facts: { problems: [{ code: 'ARCHIVE_MEMBER_DAMAGED', message: 'CRC Failed', severity: 'error' }] },
      open: () =>
        Promise.resolve({
          size: bytes.length,
          read: (p: number, l: number) => Promise.resolve(bytes.subarray(p, p + l)),
          close: () => Promise.resolve(),
        }),
    };
  }
  async close(): Promise<void> {}
}

describe('container facts', () => {
  it('classifies an encrypted entry without bytes from the facts alone, and keeps a problem marked as an error', async () => {
    const items = [];
    for await (const i of scan(new FactsSource(), { plugins: [], concurrency: 1, hash: ['sha256'] })) items.push(i);
    const [locked, damaged] = items;
    expect(locked?.classification.status).toBe('encrypted');
    expect(locked?.classification.reasons.map((r) => r.code)).toEqual([
      'CONTAINER_SAYS_ENCRYPTED',
      'CIPHERTEXT_NOT_READ',
    ]);
    expect(locked?.format).toMatchObject({ id: 'encrypted-member', extension: 'pdf', detector: 'engine:container' });
    expect(locked?.encryption?.scheme).toBe('7z-aes-256');
    expect(locked?.errors).toEqual([]);
    expect(locked?.hashes).toBeUndefined();
    expect(damaged?.errors).toEqual([
      { stage: 'container', code: 'ARCHIVE_MEMBER_DAMAGED', message: 'CRC Failed', severity: 'error' },
    ]);
    expect(damaged?.hashes?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
