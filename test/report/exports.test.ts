/**
 * The interchange exports of a generated scan (CSV, CASE/UCO JSON-LD,
 * DFXML), written by `scan --format` and by `report`, checked against the
 * manifest they came from: every item present, fields carried over, hostile
 * names neutralised or escaped, structure of each standard respected. The
 * full standard validators (SHACL for CASE, the DFXML schema plus extra
 * checks) run in .ci/interop.sh when the shared interop folder is present;
 * here DFXML is also validated against the vendored DFXML 2.0 schema.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, type EvidenceItem, type ManifestHeader, type ManifestSummary } from '@evtriage/core';
import { CASE_CONTEXT, CSV_COLUMNS } from '@evtriage/core/internal';
import { runCli } from '../helpers/cli.js';
import { makeReportTree } from './make-tree.js';

const SCHEMA = path.join(import.meta.dirname, 'dfxml-schema', 'dfxml.xsd');
let tree: string;
let out: string;
let manifest: string;
let header: ManifestHeader;
let summary: ManifestSummary;
const items: EvidenceItem[] = [];

beforeAll(async () => {
  tree = makeReportTree();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-exports-'));
  manifest = path.join(out, 'manifest.ndjson');
  const common = ['--hash', 'md5,sha1,sha256', '--case-id', 'CASE-7', '--examiner', 'A. Analyst', '-q'];
  const runs = await Promise.all([
    runCli(['scan', tree, '-o', manifest, '-f', 'ndjson', ...common]),
    runCli(['scan', tree, '-o', path.join(out, 'scan.xml'), '-f', 'dfxml', ...common]),
  ]);
  for (const r of runs) expect(r.stderr).toBe('');
  for await (const rec of readManifest(manifest)) {
    if (rec.type === 'header') header = rec.header;
    else if (rec.type === 'summary') summary = rec.summary;
    else items.push(rec.item);
  }
  const conv = await Promise.all([
    runCli(['report', manifest, '-o', path.join(out, 'items.csv'), '-q']),
    runCli(['report', manifest, '-o', path.join(out, 'case.jsonld'), '-q']),
    runCli(['report', manifest, '-o', path.join(out, 'report.xml'), '-q']),
  ]);
  for (const r of conv) expect([r.code, r.stderr]).toEqual([0, '']);
});

afterAll(() => {
  fs.rmSync(tree, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

/** A strict RFC 4180 parser (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

describe('CSV export', () => {
  it('has one RFC 4180 row per item with the main fields, and neutralises formula cells', () => {
    const text = fs.readFileSync(path.join(out, 'items.csv'), 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [head, ...rows] = parseCsv(text);
    expect(head).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(items.length);
    const col = (name: string) => CSV_COLUMNS.indexOf(name);
    for (const [n, item] of items.entries()) {
      const r = rows[n]!;
      expect(r.length).toBe(CSV_COLUMNS.length);
      const p = r[col('path')]!;
      if (/^[=+\-@\t\r]/.test(item.path)) expect(p).toBe(`'${item.path}`);
      else expect(p).toBe(item.path);
      expect(r[col('status')]).toBe(item.classification.status);
      expect(Number(r[col('size')])).toBe(item.size);
      expect(r[col('format_id')]).toBe(item.format?.id ?? '');
      expect(r[col('sha256')]).toBe(item.hashes?.sha256 ?? '');
      expect(r[col('encryption_scheme')]).toBe(item.encryption?.scheme ?? '');
      // No cell a spreadsheet would evaluate.
      for (const cell of r)
        if (
          cell !== r[col('size')] &&
          cell !== r[col('confidence')] &&
          cell !== r[col('entropy')] &&
          cell !== r[col('depth')] &&
          cell !== r[col('errors')]
        )
          expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    // The hostile names are in the tree, so the checks above ran on them.
    for (const start of ['=', '@', '+', '-', '\t']) expect(items.some((i) => i.path.startsWith(start))).toBe(true);
    expect(items.some((i) => i.path.includes('\n') && i.path.includes('"') && i.path.includes(','))).toBe(true);
  });

  it('is what scan --format csv writes too', async () => {
    const file = path.join(out, 'scan.csv');
    const r = await runCli(['scan', tree, '-o', file, '-f', 'csv', '-q']);
    expect(r.stderr).toBe('');
    const rows = parseCsv(fs.readFileSync(file, 'utf8'));
    expect(rows.length).toBe(items.length + 1);
    expect(rows.slice(1).map((x) => x[0]!.replace(/^'(?=[=+\-@\t\r])/, ''))).toEqual(items.map((i) => i.path));
  });
});

type Node = Record<string, unknown> & { '@id'?: string; '@type'?: string };

describe('CASE/UCO export', () => {
  let doc: { '@context': Record<string, string>; '@graph': Node[] };
  const described = new Map<string, Node>();
  const referenced = new Set<string>();

  beforeAll(() => {
    doc = JSON.parse(fs.readFileSync(path.join(out, 'case.jsonld'), 'utf8')) as typeof doc;
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      const n = v as Node;
      const keys = Object.keys(n);
      if (n['@id'] && keys.length === 1) referenced.add(n['@id']);
      else if (n['@id']) {
        expect(described.has(n['@id']), `duplicate @id ${n['@id']}`).toBe(false);
        described.set(n['@id'], n);
      }
      for (const k of keys) if (k !== '@id') walk(n[k]);
    };
    walk(doc['@graph']);
  });

  it('has an inline @context defining every prefix it uses (UCO/CASE 1.4.0 namespaces)', () => {
    expect(doc['@context']).toEqual(CASE_CONTEXT);
    expect(doc['@context']['uco-observable']).toBe('https://ontology.unifiedcyberontology.org/uco/observable/');
    const used = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (!k.startsWith('@')) used.add(k.split(':')[0]!);
        if ((k === '@id' || k === '@type') && typeof x === 'string') used.add(x.split(':')[0]!);
        walk(x);
      }
    };
    walk(doc['@graph']);
    for (const prefix of used) expect(Object.keys(doc['@context']), `prefix ${prefix}`).toContain(prefix);
  });

  it('describes every node once, types every node, and leaves no reference dangling', () => {
    for (const [id, n] of described) {
      expect(n['@type'], id).toBeTypeOf('string');
      expect(id).toMatch(/^kb:[a-z0-9-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    for (const id of referenced) expect(described.has(id), `dangling reference ${id}`).toBe(true);
  });

  it('has one File observable per item with its FileFacet and ContentDataFacet', () => {
    const files = doc['@graph'].filter(
      (n) => n['@type'] === 'uco-observable:File' && String(n['@id']).startsWith('kb:file-'),
    );
    expect(files.length).toBe(items.length);
    for (const [k, item] of items.entries()) {
      const f = files[k]!;
      const facets = f['uco-core:hasFacet'] as Node[];
      const ff = facets.find((x) => x['@type'] === 'uco-observable:FileFacet')!;
      const cd = facets.find((x) => x['@type'] === 'uco-observable:ContentDataFacet')!;
      expect(ff['uco-observable:filePath']).toBe(item.path);
      expect(ff['uco-observable:sizeInBytes']).toBe(item.size);
      expect(Number.isInteger(ff['uco-observable:sizeInBytes'])).toBe(true);
      if (item.times.modified)
        expect(ff['uco-observable:modifiedTime']).toEqual({ '@type': 'xsd:dateTime', '@value': item.times.modified });
      expect(cd['uco-observable:isEncrypted']).toBe(item.classification.status === 'encrypted');
      if (item.format?.mime) expect(cd['uco-observable:mimeType']).toBe(item.format.mime);
      const e = item.classification.entropy?.shannon;
      if (e !== undefined) {
        const v = cd['uco-observable:entropy'] as { '@type': string; '@value': string };
        expect(v['@type']).toBe('xsd:decimal');
        expect(Number(v['@value'])).toBeCloseTo(e, 5);
      }
      const hashes = (cd['uco-observable:hash'] as Node[] | undefined) ?? [];
      const byMethod = Object.fromEntries(
        hashes.map((h) => [
          String(h['uco-types:hashMethod']),
          (h['uco-types:hashValue'] as { '@value': string })['@value'],
        ]),
      );
      if (item.kind === 'file')
        expect(byMethod).toEqual({ MD5: item.hashes?.md5, SHA1: item.hashes?.sha1, SHA256: item.hashes?.sha256 });
      expect(f['uco-core:tag']).toContain(`status:${item.classification.status}`);
    }
  });

  it('records the investigation: tool and version, case id, examiner, the action with every item as its result', () => {
    const g = doc['@graph'];
    const tool = g.find((n) => n['@type'] === 'uco-tool:Tool')!;
    expect(tool['uco-core:name']).toBe(header.tool.name);
    expect(tool['uco-tool:version']).toBe(header.tool.version);
    const examiner = g.find((n) => n['@type'] === 'uco-identity:Identity')!;
    expect(examiner['uco-core:name']).toBe('A. Analyst');
    const inv = g.find((n) => n['@type'] === 'case-investigation:Investigation')!;
    expect(inv['uco-core:name']).toBe('CASE-7');
    const action = g.find((n) => n['@type'] === 'case-investigation:InvestigativeAction')!;
    expect(action['uco-action:startTime']).toEqual({ '@type': 'xsd:dateTime', '@value': header.startedAt });
    expect(action['uco-action:endTime']).toEqual({ '@type': 'xsd:dateTime', '@value': summary.finishedAt });
    expect(action['uco-action:instrument']).toEqual({ '@id': tool['@id'] });
    expect(action['uco-action:performer']).toEqual({ '@id': examiner['@id'] });
    const results = (action['uco-action:result'] as Node[]).map((r) => r['@id']);
    const fileIds = g
      .filter((n) => n['@type'] === 'uco-observable:File' && String(n['@id']).startsWith('kb:file-'))
      .map((n) => n['@id']);
    expect(results).toEqual(fileIds);
  });

  it('links archive members to their archive (Contained_Within)', () => {
    const g = doc['@graph'];
    const byPath = new Map(
      g
        .filter((n) => String(n['@id']).startsWith('kb:file-'))
        .map((n) => [(n['uco-core:hasFacet'] as Node[])[0]!['uco-observable:filePath'] as string, n['@id']]),
    );
    const members = items.filter((i) => i.depth > 0);
    expect(members.length).toBeGreaterThan(0);
    const rels = g.filter((n) => n['@type'] === 'uco-observable:ObservableRelationship');
    expect(rels.length).toBe(members.length);
    for (const m of members) {
      const container = m.path.slice(0, m.path.lastIndexOf('!/'));
      const rel = rels.find((r) => (r['uco-core:source'] as Node)['@id'] === byPath.get(m.path))!;
      expect(rel['uco-core:kindOfRelationship']).toBe('Contained_Within');
      expect((rel['uco-core:target'] as Node)['@id']).toBe(byPath.get(container));
    }
  });
});

describe('DFXML export', () => {
  const xpath = (file: string, expr: string) =>
    execFileSync('xmllint', ['--nonet', '--xpath', expr, file], { encoding: 'utf8' });

  it('validates against the DFXML 2.0.0-beta.0 schema (scan --format dfxml and report)', () => {
    for (const f of ['scan.xml', 'report.xml']) {
      const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, path.join(out, f)], {
        encoding: 'utf8',
      });
      expect(r.stderr.trim()).toBe(`${path.join(out, f)} validates`);
      expect(r.status).toBe(0);
    }
  });

  it('has one fileobject per item with unique ids, sizes, times and hashes', () => {
    const file = path.join(out, 'report.xml');
    expect(Number(xpath(file, "count(//*[local-name()='fileobject'])"))).toBe(items.length);
    const ids = xpath(file, "//*[local-name()='fileobject']/*[local-name()='id']/text()").trim().split('\n');
    expect(new Set(ids).size).toBe(items.length);
    const sizes = xpath(file, "//*[local-name()='fileobject']/*[local-name()='filesize']/text()")
      .trim()
      .split('\n')
      .map(Number);
    expect(sizes).toEqual(items.map((i) => i.size));
    const sha = xpath(file, "//*[local-name()='hashdigest'][@type='sha256']/text()").trim().split('\n');
    expect(sha).toEqual(items.filter((i) => i.hashes?.sha256).map((i) => i.hashes!.sha256));
    const mtimes = xpath(file, "//*[local-name()='fileobject']/*[local-name()='mtime']/text()").trim().split('\n');
    expect(mtimes).toEqual(items.filter((i) => i.times.modified).map((i) => i.times.modified));
    const statuses = xpath(file, "//*[local-name()='triage']/@status")
      .trim()
      .split('\n')
      .map((s) => s.replace(/^\s*status="|"$/g, ''));
    expect(statuses).toEqual(items.map((i) => i.classification.status));
  });

  it('keeps names with control characters or non-UTF-8 bytes valid XML, with the exact name in base64', () => {
    const text = fs.readFileSync(path.join(out, 'report.xml'), 'utf8');
    // Control characters are what this pattern looks for.
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const ctrl = items.find((i) => i.path.includes('\u0001'))!;
    const utf8 = /evt:utf8Base64="([^"]+)"/.exec(text)![1]!;
    expect(Buffer.from(utf8, 'base64').toString('utf8')).toBe(ctrl.path);
    const latin = items.find((i) => i.rawPath)!;
    expect(text).toContain(`evt:rawBase64="${latin.rawPath}"`);
    // Markup in a name is escaped, not interpreted.
    expect(text).toContain('&lt;b&gt;markup&lt;/b&gt; &amp; &quot;quotes&quot;');
  });
});
