/**
 * The folder source on a real temporary tree: symlinks recorded and never
 * followed, special files recorded and never opened, raw names preserved,
 * sorted deterministic order.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderSource, scan, type EvidenceItem } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '@evtriage/parsers';

let root: string;
let server: net.Server;
const latin1Name = Buffer.from([0x66, 0x6f, 0x74, 0x6f, 0xe9, 0x2e, 0x6a, 0x70, 0x67]); // "foto\xe9.jpg", not UTF-8

async function scanAll(dir: string, concurrency = 16): Promise<EvidenceItem[]> {
  const items: EvidenceItem[] = [];
  for await (const item of scan(new FolderSource(dir), {
    plugins: builtinPlugins,
    containers: builtinContainers,
    concurrency,
  }))
    items.push(item);
  return items;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-folder-'));
  fs.mkdirSync(path.join(root, 'b/nested'), { recursive: true });
  fs.writeFileSync(path.join(root, 'b/nested/note.txt'), 'hello\n');
  fs.writeFileSync(path.join(root, 'a.txt'), 'first\n');
  fs.writeFileSync(path.join(root, 'line\nbreak.txt'), 'odd name\n');
  fs.writeFileSync(Buffer.concat([Buffer.from(root + '/'), latin1Name]), 'bytes\n');
  fs.symlinkSync('a.txt', path.join(root, 'link-inside'));
  fs.symlinkSync('/etc/passwd', path.join(root, 'link-outside'));
  fs.symlinkSync('../..', path.join(root, 'b/link-up'));
  fs.symlinkSync('loop-2', path.join(root, 'loop-1'));
  fs.symlinkSync('loop-1', path.join(root, 'loop-2'));
  fs.symlinkSync('b', path.join(root, 'link-to-dir'));
  execFileSync('mkfifo', [path.join(root, 'pipe')]);
  server = net.createServer();
  await new Promise<void>((r) => server.listen(path.join(root, 'sock'), r));
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(root, { recursive: true, force: true });
});

describe('folder source', () => {
  it('records every entry once, in sorted order, with no items for folders', async () => {
    const items = await scanAll(root);
    const paths = items.map((i) => i.path);
    expect(paths).toEqual([
      'a.txt',
      'b/link-up',
      'b/nested/note.txt',
      'foto\ufffd.jpg',
      'line\nbreak.txt',
      'link-inside',
      'link-outside',
      'link-to-dir',
      'loop-1',
      'loop-2',
      'pipe',
      'sock',
    ]);
  });

  it('records symlinks with their targets, never follows them, and flags links that leave the source', async () => {
    const byPath = new Map((await scanAll(root)).map((i) => [i.path, i]));
    const inside = byPath.get('link-inside')!;
    expect(inside).toMatchObject({ kind: 'symlink', linkTarget: 'a.txt', size: 0 });
    expect(inside.classification.reasons[0]).toMatchObject({
      code: 'SYMLINK_NOT_FOLLOWED',
      figures: { pointsOutside: false },
    });
    expect(byPath.get('link-outside')!.classification.reasons[0]!.figures).toEqual({ pointsOutside: true });
    expect(byPath.get('b/link-up')!.classification.reasons[0]!.figures).toEqual({ pointsOutside: true });
    expect(byPath.get('loop-1')!.linkTarget).toBe('loop-2');
    // The folder behind link-to-dir is not walked a second time.
    expect([...byPath.keys()].filter((p) => p.endsWith('note.txt'))).toEqual(['b/nested/note.txt']);
  });

  it('records FIFOs and sockets without opening them (the scan would block on a FIFO)', async () => {
    const byPath = new Map((await scanAll(root)).map((i) => [i.path, i]));
    expect(byPath.get('pipe')).toMatchObject({
      kind: 'fifo',
      classification: { status: 'unreadable', reasons: [{ code: 'SPECIAL_FILE_NOT_OPENED' }] },
    });
    expect(byPath.get('sock')).toMatchObject({ kind: 'socket', classification: { status: 'unreadable' } });
  });

  it('keeps names that are not UTF-8: a readable form plus the raw bytes in base64', async () => {
    const item = (await scanAll(root)).find((i) => i.rawPath)!;
    expect(item.path).toBe('foto\ufffd.jpg');
    expect(Buffer.from(item.rawPath!, 'base64')).toEqual(latin1Name);
    expect(item.classification.status).toBe('analysable');
  });

  it('keeps names with control characters as they are', async () => {
    const item = (await scanAll(root)).find((i) => i.path.includes('\n'))!;
    expect(item.format?.id).toBe('text');
  });

  it('gives the same items twice, whatever the concurrency', async () => {
    const strip = (items: EvidenceItem[]) => JSON.stringify(items.map(({ times: _t, ...rest }) => rest));
    const a = await scanAll(root, 1);
    const b = await scanAll(root, 16);
    expect(strip(b)).toEqual(strip(a));
  });
});
