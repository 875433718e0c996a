import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSource, scan } from '@evtriage/core';
import { builtinContainers, builtinPlugins } from '../index.js';
import { executableCandidates } from './ipa-fairplay.js';
import type { ZipMember } from './zip-entries.js';

const fixtures = new URL('../../fixtures/app-packages/', import.meta.url);

describe('executableCandidates', () => {
  const member = (name: string) => ({ name }) as ZipMember;
  it("puts the file named as its .app bundle first, then the bundle's other files without an extension", () => {
    const names = [
      'Payload/Foo.app/Info.plist',
      'Payload/Foo.app/PkgInfo',
      'Payload/Foo.app/FooApp',
      'Payload/Foo.app/Frameworks/X.framework/X',
      'Payload/Foo.app/Foo',
      'Foo.app/Foo',
    ];
    expect(executableCandidates(names.map(member)).map((m) => m.name)).toEqual([
      'Payload/Foo.app/Foo',
      'Payload/Foo.app/FooApp',
    ]);
  });
});

// Damaged copies of the three IPAs (fixed seed: bytes overwritten anywhere, in the ZIP's headers, the deflated
// binary or its load commands; every fourth copy cut short), scanned by the whole engine: one item each, a
// status the engine knows, never a crash, a parser throwing or a dropped file.
describe('fuzz: damaged IPAs through the engine', () => {
  it('gives every damaged copy a verdict', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipa-fuzz-'));
    try {
      let s = 20261207;
      const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const names: string[] = [];
      for (const seed of ['fairplay.ipa', 'dumped.ipa', 'renamed.ipa']) {
        const bytes = new Uint8Array(fs.readFileSync(new URL(seed, fixtures)));
        for (let round = 0; round < 40; round++) {
          const copy = bytes.slice(0, round % 4 === 3 ? Math.floor(rand() * bytes.length) : bytes.length);
          for (let i = 0; i < 1 + (round % 6); i++) copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
          const name = `${round}-${seed}`;
          fs.writeFileSync(path.join(dir, name), copy);
          names.push(name);
        }
      }
      const statuses = new Map<string, string>();
      for await (const item of scan(new FolderSource(dir), { plugins: builtinPlugins, containers: builtinContainers }))
        if (!item.path.includes('!/')) {
          statuses.set(item.path, item.classification.status);
          // A damaged member is a diagnostic on the item, never a parser breaking the contract.
          expect(item.errors.map((e) => e.code)).not.toContain('PLUGIN_THREW');
        }
      expect([...statuses.keys()].sort()).toEqual(names.sort());
      for (const status of statuses.values())
        expect(['analysable', 'encrypted', 'opaque', 'unreadable']).toContain(status);
      // Most copies keep their binary readable: the check still runs on damaged packages.
      expect([...statuses.values()].filter((v) => v === 'encrypted').length).toBeGreaterThan(5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
