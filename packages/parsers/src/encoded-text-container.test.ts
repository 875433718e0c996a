import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem, type ScanLimits } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from './index.js';
import { decodedMemberName, MAX_ENCODED_BYTES } from './encoded-text-container.js';
import { seededBytes } from './seeded-bytes.test-helper.js';

const fixtures = fileURLToPath(new URL('../fixtures/encoded-text/', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-encoded-text-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function scanFolder(dir: string, limits?: Partial<ScanLimits>): Promise<Map<string, EvidenceItem>> {
  const items = new Map<string, EvidenceItem>();
  const run = scan(new FolderSource(dir), {
    plugins: builtinPlugins,
    containers: builtinContainers,
    ...(limits ? { limits } : {}),
  });
  for await (const item of run) items.set(item.path, item);
  return items;
}

describe('encoded text opened as a container of its decoded bytes', () => {
  it('every detector judges the decoded bytes: a ZIP and its member, text, headerless ciphertext', async () => {
    const items = await scanFolder(fixtures);
    const zip = items.get('report.zip.b64!/report.zip')!;
    expect(zip.format?.id).toBe('zip');
    expect(zip.details?.['container']).toMatchObject({ archive: 'base64', encoding: 'base64', encodedSize: 361 });
    expect(items.get('report.zip.b64!/report.zip!/notes.txt')?.format?.id).toBe('text');
    for (const member of ['notes.b32!/notes', 'notes.hex!/notes', 'notes.b64url!/notes'])
      expect(items.get(member)?.format?.id, member).toBe('text');
    // AES-256-CTR output in base64: the file is an encoding, the decoded bytes are ciphertext by their statistics.
    expect(items.get('blob.dat')?.classification.status).toBe('analysable');
    const blob = items.get('blob.dat!/blob.dat.decoded')!;
    expect(blob.classification.status).toBe('encrypted');
    expect(blob.classification.reasons.map((r) => r.code)).toContain('STATISTICALLY_RANDOM');
    // The look-alikes stay text, with nothing inside.
    for (const name of ['hashes.txt', 'codes.txt', 'two-streams.b64', 'token.b64'])
      expect(
        [...items.keys()].filter((p) => p.startsWith(`${name}!/`)),
        name,
      ).toEqual([]);
  });

  it('the whole file is checked, not only the head and tail the detector saw', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'damaged-'));
    const lines = Buffer.from(seededBytes(3, 90_000))
      .toString('base64')
      .match(/.{1,76}/g)!;
    // A character outside the alphabet in the middle, past the probe's head (16 KiB) and before its tail (8 KiB).
    lines[800] = lines[800]!.replace(/^./, '.');
    fs.writeFileSync(path.join(dir, 'middle.b64'), lines.join('\n') + '\n');
    const item = (await scanFolder(dir)).get('middle.b64')!;
    expect(item.format?.id).toBe('base64');
    expect(item.errors).toContainEqual(expect.objectContaining({ stage: 'container', code: 'ENCODED_TEXT_INVALID' }));
  });

  it('the expansion budget and the size bound hold', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bounds-'));
    fs.writeFileSync(path.join(dir, 'a.b64'), Buffer.from(seededBytes(4, 3000)).toString('base64'));
    const item = (await scanFolder(dir, { maxExpandedBytes: 1000 })).get('a.b64')!;
    expect(item.errors).toContainEqual(expect.objectContaining({ code: 'ARCHIVE_EXPANSION_LIMIT' }));
    // Past the bound: identified from its head and tail, not decoded (a sparse file: no 16 MiB written).
    const big = path.join(dir, 'big.b64');
    const line = Buffer.from(Buffer.from(seededBytes(6, 57)).toString('base64') + '\n');
    const fd = fs.openSync(big, 'w');
    const lineCount = Math.ceil((MAX_ENCODED_BYTES + 1) / line.length);
    for (let i = 0; i < 400; i++) fs.writeSync(fd, line, 0, line.length, i * line.length);
    for (let i = lineCount - 200; i < lineCount; i++) fs.writeSync(fd, line, 0, line.length, i * line.length);
    fs.closeSync(fd);
    const items = await scanFolder(dir);
    expect(items.get('big.b64')?.format?.id).toBe('base64');
    expect(items.get('big.b64')?.errors).toContainEqual(expect.objectContaining({ code: 'ENCODED_TEXT_TOO_LARGE' }));
  });

  it('names the member after the file, without its encoding extension', () => {
    expect(decodedMemberName('a/report.zip.b64')).toBe('report.zip');
    expect(decodedMemberName('x.tar!/keys.HEX')).toBe('keys');
    expect(decodedMemberName('blob.dat')).toBe('blob.dat.decoded');
    expect(decodedMemberName('.b64')).toBe('.b64.decoded');
  });
});
