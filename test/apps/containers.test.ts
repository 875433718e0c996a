import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FolderSource, openSource, type EvidenceSource, type SourceEntry } from '@evtriage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIosTree, IOS_UUIDS } from '../fixtures/apps/generate.js';
import { at, scanFolder, scanSource, tempDir, type Scanned } from './scan-tree.js';

const META = '.com.apple.mobile_container_manager.metadata.plist';
const M = 'filesystem1/private/var/mobile/Containers';
const BROKEN = '5A0E7B6D-8C9F-4EB0-91C2-4D5E6F708192';

/**
 * A source that cannot list or read by path (like a streamed archive), so the scan has no pre-pass; with
 * `metadataLast` it yields every container metadata file after all other entries: the worst case for
 * attribution, which must then be fixed up in the summary.
 */
class MetadataLastSource implements EvidenceSource {
  readonly info;
  constructor(
    private readonly inner: FolderSource,
    private readonly metadataLast = true,
  ) {
    this.info = inner.info;
  }
  async *entries(signal?: AbortSignal): AsyncIterable<SourceEntry> {
    const late: SourceEntry[] = [];
    for await (const e of this.inner.entries(signal)) {
      if (this.metadataLast && e.path.endsWith(`/${META}`)) late.push(e);
      else yield e;
    }
    yield* late;
  }
  close() {
    return this.inner.close();
  }
}

let root: string;
let prepass: Scanned;
let streamed: Scanned;
let zipped: Scanned;

beforeAll(async () => {
  root = tempDir('containers');
  buildIosTree(root);
  // A container whose metadata plist is corrupt.
  fs.mkdirSync(path.join(root, `${M}/Data/Application/${BROKEN}/Documents`), { recursive: true });
  fs.writeFileSync(path.join(root, `${M}/Data/Application/${BROKEN}/${META}`), Buffer.from('bplist00 not really'));
  fs.writeFileSync(path.join(root, `${M}/Data/Application/${BROKEN}/Documents/a.txt`), 'x\n');
  prepass = await scanFolder(root);
  streamed = await scanSource(new MetadataLastSource(new FolderSource(root)));
  // A real ZIP (as extraction tools write them) whose members put each metadata file last.
  const all = execFileSync('find', ['filesystem1', '-type', 'f'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort();
  const ordered = [...all.filter((p) => !p.endsWith(META)), ...all.filter((p) => p.endsWith(META))];
  const zip = path.join(path.dirname(root), `${path.basename(root)}.zip`);
  execFileSync('zip', ['-q', '-X', zip, '-@'], { cwd: root, input: ordered.join('\n') });
  const source = await openSource(zip);
  zipped = await scanSource(source);
  await source.close();
  fs.rmSync(zip, { force: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('iOS containers: the pre-pass (source lists and reads paths)', () => {
  it('attributes a file the walk meets before the metadata naming its container', () => {
    const early = `${M}/Data/Application/${IOS_UUIDS.whatsappData}/+early.db`;
    const meta = `${M}/Data/Application/${IOS_UUIDS.whatsappData}/${META}`;
    // The walk order really puts the data first ("+" sorts before ".").
    expect(prepass.order.indexOf(early)).toBeLessThan(prepass.order.indexOf(meta));
    expect(at(prepass, early).app).toMatchObject({ id: 'net.whatsapp.WhatsApp', rule: 'ios-container-metadata' });
    expect(at(prepass, `${M}/Shared/AppGroup/${IOS_UUIDS.whatsappGroup}/+early.txt`).app).toMatchObject({
      id: 'net.whatsapp.WhatsApp',
      via: 'group.net.whatsapp.WhatsApp.shared',
    });
  });

  it('records the metadata values on the metadata item', () => {
    const meta = at(prepass, `${M}/Shared/AppGroup/${IOS_UUIDS.whatsappGroup}/${META}`);
    expect(meta.format?.id).toBe('bplist');
    expect(meta.details?.['ios-container-metadata']).toEqual({
      bundleId: 'group.net.whatsapp.WhatsApp.shared',
      contentClass: 6,
      contentKind: 'app group',
      app: 'WhatsApp',
      catalogueId: 'whatsapp',
    });
  });

  it('reports a corrupt metadata file on its item and leaves the container unattributed', () => {
    const meta = at(prepass, `${M}/Data/Application/${BROKEN}/${META}`);
    expect(meta.errors.map((e) => e.code)).toContain('APP_METADATA_UNREADABLE');
    expect(at(prepass, `${M}/Data/Application/${BROKEN}/Documents/a.txt`).app).toBeUndefined();
  });

  it('lists containers whose owner stays unknown in the per-app table, as data nobody parsed', () => {
    for (const s of [prepass, streamed]) {
      const unknown = s.summary.apps.find((a) => a.id === BROKEN)!;
      expect(unknown).toMatchObject({
        platform: 'ios',
        name: 'Unidentified container (Data/Application; no metadata)',
        files: 2,
        unparsed: true,
      });
    }
  });
});

describe('iOS containers: metadata streamed before the files (no pre-pass)', () => {
  it('attributes every file after the metadata in walk order, whatever the concurrency', async () => {
    const tree = tempDir('streamed-first');
    try {
      buildIosTree(tree);
      // Enough files after the metadata that many are processed before the walk reaches the metadata item.
      const caches = path.join(tree, `${M}/Data/Application/${IOS_UUIDS.whatsappData}/Library/Caches`);
      fs.mkdirSync(caches, { recursive: true });
      for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(caches, `entry-${i}.json`), `{"n":${i}}\n`);
      const runs = [];
      for (const concurrency of [1, 64]) {
        runs.push(await scanSource(new MetadataLastSource(new FolderSource(tree), false), concurrency));
      }
      for (const run of runs) {
        const container = `${M}/Data/Application/${IOS_UUIDS.whatsappData}/`;
        const inIt = run.order.filter((p) => p.startsWith(container));
        const after = inIt.slice(inIt.indexOf(`${container}${META}`));
        expect(after.length).toBeGreaterThan(200);
        expect(after.filter((p) => run.items.get(p)!.app?.id !== 'net.whatsapp.WhatsApp')).toEqual([]);
      }
      const [one, many] = runs.map((r) => r.order.map((p) => JSON.stringify({ ...r.items.get(p), times: undefined })));
      expect(many).toEqual(one);
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });
});

describe('iOS containers: metadata streamed after the files (no pre-pass)', () => {
  it('cannot attribute the items that came first, but attributes the metadata item itself', () => {
    expect(streamed.order.at(-1)!.endsWith(META)).toBe(true);
    expect(at(streamed, `${M}/Shared/AppGroup/${IOS_UUIDS.whatsappGroup}/ChatStorage.sqlite`).app).toBeUndefined();
    expect(at(streamed, `${M}/Shared/AppGroup/${IOS_UUIDS.whatsappGroup}/${META}`).app).toMatchObject({
      id: 'net.whatsapp.WhatsApp',
    });
  });

  it('fixes the per-app table at the end: the same figures as with the pre-pass', () => {
    for (const id of ['net.whatsapp.WhatsApp', 'com.example.iosapp', 'ph.telegra.Telegraph']) {
      const a = prepass.summary.apps.find((x) => x.id === id)!;
      const b = streamed.summary.apps.find((x) => x.id === id)!;
      expect(b, id).toBeDefined();
      expect({
        files: b.files,
        bytes: b.bytes,
        byStatus: b.byStatus,
        artifacts: b.artifacts,
        unparsed: b.unparsed,
      }).toEqual({
        files: a.files,
        bytes: a.bytes,
        byStatus: a.byStatus,
        artifacts: a.artifacts,
        unparsed: a.unparsed,
      });
    }
    const wa = streamed.summary.apps.find((x) => x.id === 'net.whatsapp.WhatsApp')!;
    // Data container (3 files), app group (3), extension (2).
    expect(wa.files).toBe(8);
    expect(wa.artifacts).toEqual([{ id: 'whatsapp:ios-messages', count: 1, counts: { messages: 5, chats: 1 } }]);
  });
});

describe('iOS containers in a real ZIP with the metadata members last', () => {
  it('gives the per-app table the same figures as the folder scan', () => {
    expect(zipped.order.at(-1)!.endsWith(META)).toBe(true);
    for (const id of ['net.whatsapp.WhatsApp', 'com.example.iosapp', 'ph.telegra.Telegraph']) {
      const a = prepass.summary.apps.find((x) => x.id === id)!;
      const b = zipped.summary.apps.find((x) => x.id === id)!;
      expect({ files: b.files, bytes: b.bytes, artifacts: b.artifacts }, id).toEqual({
        files: a.files,
        bytes: a.bytes,
        artifacts: a.artifacts,
      });
    }
  });
});
