/**
 * The manifest commands on a real manifest of a generated scan and on
 * edited copies of it: `validate` (first problems with their location, JSON
 * and NDJSON), `summary`, `diff` (added, removed, changed; order-independent)
 * and `report` from a partial manifest.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeReportTree } from './make-tree.js';

let tree: string;
let out: string;
let json: string;
let ndjson: string;
/** A manifest as loose JSON: the tests write values the schema refuses. */
type Item = Record<string, unknown> & {
  path: string;
  kind: string;
  size: number;
  classification: { status: string; certainty: string };
  hashes?: Record<string, string>;
};
type Doc = { header: Record<string, unknown>; items: Item[]; summary: Record<string, unknown> };
let doc: Doc;
const write = (name: string, text: string) => {
  const f = path.join(out, name);
  fs.writeFileSync(f, text);
  return f;
};
/** Writes a manifest document the way the JSON writer lays it out (one item a line). */
const writeDoc = (name: string, d: Doc) =>
  write(
    name,
    `{"header":${JSON.stringify(d.header)},\n"items":[\n${d.items.map((i) => JSON.stringify(i)).join(',\n')}\n],\n"summary":${JSON.stringify(d.summary)}}\n`,
  );

beforeAll(async () => {
  tree = makeReportTree();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-mcmd-'));
  json = path.join(out, 'a.json');
  ndjson = path.join(out, 'a.ndjson');
  const rs = await Promise.all([
    runCli(['scan', tree, '-o', json, '--hash', 'sha256', '-q']),
    runCli(['scan', tree, '-o', ndjson, '-f', 'ndjson', '--hash', 'sha256', '-q']),
  ]);
  for (const r of rs) expect(r.stderr).toBe('');
  doc = JSON.parse(fs.readFileSync(json, 'utf8')) as Doc;
});
afterAll(() => {
  fs.rmSync(tree, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

describe('evtriage validate', () => {
  it('accepts the manifests scan writes', async () => {
    for (const f of [json, ndjson]) {
      const r = await runCli(['validate', f]);
      expect(r.stdout).toBe(`${f}: valid manifest, ${doc.items.length} items.\n`);
      expect(r.code).toBe(0);
    }
  });

  it('reports the first problems of a JSON manifest with item index and line', async () => {
    const bad = structuredClone(doc);
    bad.items[2]!.classification.status = 'bogus';
    bad.items[4]!.size = -1;
    const f = writeDoc('bad.json', bad);
    const r = await runCli(['validate', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 problem(s)');
    expect(r.stdout).toMatch(/items\[2\] \(line 5\): classification\.status: /);
    expect(r.stdout).toMatch(/items\[4\] \(line 7\): size: /);
  });

  it('reports broken JSON syntax with its line, and a missing summary', async () => {
    const text = fs.readFileSync(json, 'utf8').split('\n');
    text[4] = text[4]!.slice(0, 40);
    const r = await runCli(['validate', write('syntax.json', text.join('\n'))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/line 5: not JSON: /);
    expect(r.stdout).toContain('no summary record');
  });

  it('reports NDJSON problems by line, and a truncated NDJSON manifest as partial', async () => {
    const lines = fs.readFileSync(ndjson, 'utf8').trimEnd().split('\n');
    const bad = [...lines];
    bad[3] = bad[3]!.replace('"kind":"', '"kind":"nonsense-');
    bad.pop();
    const r = await runCli(['validate', write('bad.ndjson', bad.join('\n') + '\n'), '--max', '5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/line 4: kind: /);
    expect(r.stdout).toContain('end: no summary record');
  });
});

describe('evtriage summary', () => {
  it('prints the summary tables of a saved manifest', async () => {
    const r = await runCli(['summary', json]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${doc.items.length} items`);
    expect(r.stdout).toMatch(/encrypted\s+\d+/);
  });
});

describe('evtriage diff', () => {
  it('finds no difference between a manifest and its NDJSON twin of the same scan', async () => {
    const r = await runCli(['diff', json, ndjson]);
    expect(r.stdout).toContain(`0 added, 0 removed, 0 changed, ${doc.items.length} unchanged.`);
    expect(r.code).toBe(0);
  });

  it('lists added, removed and changed items, in any item order, with bounded waiting', async () => {
    const b = structuredClone(doc);
    const removed = b.items.splice(1, 1)[0]!;
    const added = { ...structuredClone(b.items[0]!), path: 'zz/new-file.txt' };
    b.items.push(added);
    const st = b.items.find((i) => i.classification.status === 'analysable' && i.kind === 'file' && i.hashes?.sha256)!;
    st.classification.status = 'encrypted';
    const hs = b.items.find((i) => i !== st && i.hashes?.sha256)!;
    hs.hashes!.sha256 = '0'.repeat(64);
    const fb = writeDoc('b.json', b);
    const r = await runCli(['diff', json, fb]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`- ${removed.path}`);
    expect(r.stdout).toContain(`+ zz/new-file.txt`);
    expect(r.stdout).toContain(
      `~ ${st.path}\n    status: analysable (${st.classification.certainty}) -> encrypted (${st.classification.certainty})`,
    );
    expect(r.stdout).toContain(
      `~ ${hs.path}\n    hash: sha256:${doc.items.find((i) => i.path === hs.path)!.hashes?.sha256} -> sha256:${'0'.repeat(64)}`,
    );
    expect(r.stdout).toContain('1 added, 1 removed, 2 changed');

    // Reversed order gives the same differences (JSON lines output).
    b.items.reverse();
    const rj = await runCli(['diff', json, writeDoc('b-reversed.json', b), '--json']);
    const lines = rj.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; path?: string });
    const totals = lines.pop();
    expect(totals).toMatchObject({ type: 'totals', added: 1, removed: 1, changed: 2 });
    expect(
      lines
        .filter((l) => l.type === 'changed')
        .map((l) => l.path)
        .sort(),
    ).toEqual([st.path, hs.path].sort());
  });

  it('a path listed many times is matched copy by copy; two raw names sharing a lossy path are two items', async () => {
    // Before: a waiting map keyed by path kept one copy per path: 300 copies against none were "1 removed".
    const base = doc.items.find((i) => i.kind === 'file')!;
    const copies = Array.from({ length: 300 }, () => structuredClone(base));
    const a = { ...structuredClone(doc), items: [...copies, structuredClone(doc.items[0]!)] };
    const b = { ...structuredClone(doc), items: [structuredClone(doc.items[0]!), ...copies.slice(0, 100)] };
    const r = await runCli(['diff', writeDoc('dup-a.json', a), writeDoc('dup-b.json', b), '--json']);
    const totals = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(totals).toMatchObject({ a: 301, b: 101, added: 0, removed: 200, changed: 0, same: 101 });

    // Names that were not UTF-8 (rawPath: their bytes in base64) can share one lossy path.
    const raw = (bytes: string) => ({ ...structuredClone(base), path: 'h\ufffdb', rawPath: bytes });
    const c = { ...structuredClone(doc), items: [raw('aP9i'), raw('aP5i')] };
    const d = { ...structuredClone(doc), items: [raw('aP5i')] };
    const r2 = await runCli(['diff', writeDoc('raw-c.json', c), writeDoc('raw-d.json', d), '--json']);
    const t2 = JSON.parse(r2.stdout.trim().split('\n').pop()!) as Record<string, number>;
    expect(t2).toMatchObject({ a: 2, b: 1, added: 0, removed: 1, same: 1 });
  });
});

describe('evtriage report', () => {
  it('converts a partial NDJSON manifest (no summary) and says the scan is incomplete', async () => {
    const lines = fs.readFileSync(ndjson, 'utf8').trimEnd().split('\n');
    const partial = write('partial.ndjson', lines.slice(0, -1).join('\n') + '\n');
    const html = path.join(out, 'partial.html');
    const r = await runCli(['report', partial, '-o', html]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('has no summary record');
    const text = fs.readFileSync(html, 'utf8');
    expect(text).toContain('This scan is INCOMPLETE');
    expect(text).toContain(`data-count="${lines.length - 2}"`);
  });

  it('refuses to overwrite its input and rejects unknown formats', async () => {
    expect((await runCli(['report', json, '-o', json])).code).toBe(2);
    const r = await runCli(['report', json, '-o', path.join(out, 'x.out'), '-f', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format pdf is not known');
  });
});
