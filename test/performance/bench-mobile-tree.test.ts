import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMobileTree, type MobileTree } from '../../bench/gen-mobile.mjs';

// The benchmark's mobile-style tree (bench/gen-mobile.mjs): the requested number of files, the same
// bytes for the same seed, and real formats where it claims them. Needs cjpeg (libjpeg-turbo-progs),
// pnmtopng (netpbm) and python3; .ci/system-deps.sh installs them.

const require = createRequire(fileURLToPath(new URL('../../packages/parsers/package.json', import.meta.url)));
interface Db {
  prepare(sql: string): { pluck(): { get(): unknown; all(): unknown[] } };
  close(): void;
}
const Database = require('better-sqlite3') as new (file: string, opts?: { readonly?: boolean }) => Db;

const FILES = 1500;
let work: string;
let a: MobileTree;
let b: MobileTree;

function listFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mobile-tree-'));
  a = generateMobileTree({ files: FILES, name: 'a', dataDir: path.join(work, 'one') });
  // The image templates (cjpeg, pnmtopng: deterministic for the same pixels) are reused to save time.
  fs.cpSync(path.join(work, 'one', 'mobile-templates'), path.join(work, 'two', 'mobile-templates'), {
    recursive: true,
  });
  b = generateMobileTree({ files: FILES, name: 'a', dataDir: path.join(work, 'two') });
}, 120_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('mobile benchmark tree', () => {
  it('has exactly the requested files, byte-identical for the same seed except SQLite WAL salts', () => {
    const files = listFiles(a.root);
    expect(files).toHaveLength(FILES);
    expect(a.files).toBe(FILES);
    expect(listFiles(b.root)).toEqual(files);
    const differing = files.filter(
      (f) => !fs.readFileSync(path.join(a.root, f)).equals(fs.readFileSync(path.join(b.root, f))),
    );
    expect(differing.length).toBeGreaterThan(0);
    for (const f of differing) expect(f).toMatch(/-(wal|shm)$/);
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(a.root, f)).size, 0);
    expect(a.bytes).toBe(bytes);
  });

  it('lays out Android app folders and iOS containers', () => {
    const files = listFiles(a.root);
    expect(files.some((f) => /^data\/data\/[^/]+\/shared_prefs\/[^/]+\.xml$/.test(f))).toBe(true);
    expect(files.some((f) => /^data\/data\/[^/]+\/databases\/[^/]+\.db$/.test(f))).toBe(true);
    expect(files.some((f) => /^data\/data\/[^/]+\/cache\//.test(f))).toBe(true);
    const ios =
      /^private\/var\/mobile\/Containers\/Data\/Application\/[0-9A-F-]{36}\/Library\/Preferences\/[^/]+\.plist$/;
    expect(files.some((f) => ios.test(f))).toBe(true);
  });

  it('writes real SQLite databases, some with a WAL that holds rows the main file does not', () => {
    const wals = listFiles(a.root).filter((f) => f.endsWith('-wal'));
    expect(wals.length).toBeGreaterThan(0);
    for (const wal of wals) {
      const db = wal.slice(0, -4);
      expect(fs.existsSync(path.join(a.root, `${db}-shm`))).toBe(true);
      expect(fs.readFileSync(path.join(a.root, db)).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
      // WAL header magic (big-endian 0x377f0682 or 0x377f0683) and at least one frame.
      const head = fs.readFileSync(path.join(a.root, wal));
      expect([0x377f0682, 0x377f0683]).toContain(head.readUInt32BE(0));
      expect(head.length).toBeGreaterThan(32);
    }
    // Open one copy with its WAL and one without: the WAL's rows are only in the first.
    const wal = wals[0] ?? '';
    const db = wal.slice(0, -4);
    const copy = (withWal: boolean): string => {
      const dir = fs.mkdtempSync(path.join(work, 'db-'));
      const target = path.join(dir, 'x.db');
      fs.copyFileSync(path.join(a.root, db), target);
      if (withWal) {
        fs.copyFileSync(path.join(a.root, wal), `${target}-wal`);
        fs.copyFileSync(path.join(a.root, `${db}-shm`), `${target}-shm`);
      }
      return target;
    };
    const rows = (file: string): number => {
      const conn = new Database(file);
      try {
        expect(conn.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
        const tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
        return tables.reduce((n, t) => n + Number(conn.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()), 0);
      } finally {
        conn.close();
      }
    };
    expect(rows(copy(true))).toBeGreaterThan(rows(copy(false)));
  });

  it('writes JPEGs, PNGs and plists that carry their formats', () => {
    const files = listFiles(a.root);
    const read = (f: string): Buffer => fs.readFileSync(path.join(a.root, f));
    const jpegs = files.filter((f) => /\.(jpg|JPG)$/.test(f));
    expect(jpegs.length).toBeGreaterThan(0);
    for (const f of jpegs) {
      const j = read(f);
      expect(j.readUInt16BE(0)).toBe(0xffd8);
      expect(j.readUInt16BE(2)).toBe(0xfffe); // the COM segment that makes each copy unique
      expect(j.readUInt16BE(j.length - 2)).toBe(0xffd9);
    }
    for (const f of files.filter((x) => /\.(png|PNG)$/.test(x))) {
      const p = read(f);
      expect(p.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      // Every chunk's CRC holds, the added tEXt chunk included.
      let off = 8;
      let sawText = false;
      while (off < p.length) {
        const len = p.readUInt32BE(off);
        const type = p.subarray(off + 4, off + 8).toString('latin1');
        sawText ||= type === 'tEXt';
        expect(p.readUInt32BE(off + 8 + len)).toBe(zlib.crc32(p.subarray(off + 4, off + 8 + len)));
        off += 12 + len;
      }
      expect(sawText).toBe(true);
    }
    const plists = files.filter((f) => f.includes('/Library/Preferences/'));
    expect(plists.length).toBeGreaterThan(0);
    for (const f of plists) expect(['bplist00', '<?xml ve']).toContain(read(f).subarray(0, 8).toString('latin1'));
  });
});
