/**
 * Loading third-party plugins through the real CLI (a child process):
 * `scan --plugin` changes the manifest, a config file in the current folder
 * is read, a bad plugin stops the run with exit 2 before anything is
 * written, `evtriage plugins` lists loaded plugins beside the built-ins, and
 * a source kind a plugin module provides is detected and opened by `scan`.
 * The details of resolution and errors are unit-tested in
 * packages/cli/src/plugins/load.test.ts; each CLI run here costs ~2 s of CPU.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { readJsonManifest } from '../helpers/manifest.js';
import type { Manifest } from '@evtriage/core';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-plugin-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string | Buffer) => {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

write('evidence/notes/a.zebra', Buffer.concat([Buffer.from('ZEBRA01\0'), Buffer.alloc(40, 7)]));
write('evidence/readme.txt', 'nothing to see\n');
const detector = (id: string, extra = '') => `
export const ${id.replace(/-/g, '_')} = {
  kind: 'detector',
  meta: { id: '${id}', version: '2.3.4', title: 'Zebra files'${extra}, formats: [{ id: 'zebra', name: 'Zebra file', status: 'opaque', how: 'signature' }] },
  signatures: [{ offset: 0, ascii: 'ZEBRA' }],
  detect: () => ({ format: { id: 'zebra', name: 'Zebra file' }, status: 'opaque', confidence: 0.97, reasons: [{ code: 'ZEBRA_MAGIC', message: 'ZEBRA at offset 0' }] }),
};
`;
write('plugins/zebra.mjs', detector('zebra'));
write('plugins/old-contract.mjs', detector('zebra-old', ", contract: '0'"));
write('evidence/stuck.zebra', Buffer.concat([Buffer.from('ZEBRA99\0'), Buffer.alloc(40, 9)]));
// A detector that loops forever (synchronously) on version 99: only a worker thread can be stopped (the probe workers' watchdog).
write(
  'plugins/zebra-loops.mjs',
  detector('zebra')
    .replace('detect: () => (', 'detect: (probe) => { if (probe.head[6] === 0x39) for (;;) {} return (')
    .replace('}] }),\n};', '}] }); },\n};'),
);
write(
  'hang-config/evtriage.config.json',
  JSON.stringify({ plugins: ['../plugins/zebra-loops.mjs'], scan: { limits: { pluginTimeoutMs: 2000 } } }),
);
write(
  'with-config/evtriage.config.json',
  JSON.stringify({ plugins: ['../plugins/zebra.mjs'], scan: { hash: ['sha256'] } }),
);

// A third-party source kind: a "zebra bundle" file (`ZBUN1` line, then `<name>\t<base64 bytes>` lines) whose members are the entries.
write(
  'plugins/zebra-bundle.mjs',
  `import fs from 'node:fs';
const MAGIC = 'ZBUN1\\n';
const members = (file) => fs.readFileSync(file, 'utf8').slice(MAGIC.length).split('\\n').filter(Boolean).map((l) => l.split('\\t'));
export const zebraBundle = {
  kind: 'source',
  id: 'zebra-bundle',
  guess: (p, st) => st.isFile() && fs.readFileSync(p).subarray(0, MAGIC.length).toString('latin1') === MAGIC,
  open: async (p) => ({
    info: { path: p, kind: 'zebra-bundle' },
    async *entries() {
      for (const [name, b64] of members(p)) {
        const bytes = Buffer.from(b64, 'base64');
        const reader = { size: bytes.length, read: async (at, n) => bytes.subarray(at, at + n), close: async () => {} };
        yield { path: name, kind: 'file', size: bytes.length, times: {}, depth: 0, open: async () => reader };
      }
    },
    close: async () => {},
  }),
};
`,
);
// A source kind that stalls: its members are files named in the bundle, then it waits for ever on a
// promise nothing settles (as a reader waiting for bytes a damaged archive never supplies).
write(
  'plugins/stall-bundle.mjs',
  `import fs from 'node:fs';
export const stallBundle = {
  kind: 'source',
  id: 'stall-bundle',
  guess: (p, st) => st.isFile() && p.endsWith('.sbun'),
  open: async (p) => ({
    info: { path: p, kind: 'stall-bundle' },
    async *entries() {
      for (const [name, file] of fs.readFileSync(p, 'utf8').split('\\n').filter(Boolean).map((l) => l.split('\\t'))) {
        const bytes = fs.readFileSync(file);
        const reader = { size: bytes.length, read: async (at, n) => bytes.subarray(at, at + n), close: async () => {} };
        yield { path: name, kind: 'file', size: bytes.length, times: {}, depth: 0, open: async () => reader };
      }
      await new Promise(() => {});
    },
    close: async () => {},
  }),
};
`,
);
write(
  'stuck.sbun',
  `in/contacts2.db\t${path.join(repoRoot, 'examples/sample-extraction/android/data/data/com.android.providers.contacts/databases/contacts2.db')}\nin/b.txt\t${path.join(repoRoot, 'examples/sample-extraction/android/data/media/0/Download/invoice.pdf.txt')}\n`,
);

const zebraBytes = Buffer.concat([Buffer.from('ZEBRA01\0'), Buffer.alloc(40, 7)]);
write(
  'bundle.zbun',
  `ZBUN1\nin/a.zebra\t${zebraBytes.toString('base64')}\nin/b.txt\t${Buffer.from('hello\n').toString('base64')}\n`,
);

const itemAt = (m: Manifest, p: string) => m.items.find((i) => i.path === p);

describe('evtriage CLI with third-party plugins', () => {
  it('scan --plugin <path> adds the plugin to the header and its decision to the item', async () => {
    const out = path.join(tmp, 'm1.json');
    const r = await runCli(['scan', 'evidence', '-o', out, '-q', '--plugin', './plugins/zebra.mjs'], { cwd: tmp });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = readJsonManifest(out);
    expect(m.header.plugins).toContainEqual({ id: 'zebra', version: '2.3.4', kind: 'detector', formats: ['zebra'] });
    expect(itemAt(m, 'notes/a.zebra')?.format).toMatchObject({ id: 'zebra', detector: 'zebra' });
    expect(itemAt(m, 'notes/a.zebra')?.classification.status).toBe('opaque');
  });

  it('scan --plugin <path> detects and opens a source kind the module provides (defineSource), beside its detector; verify reopens it with the same --plugin', async () => {
    const out = path.join(tmp, 'm-bundle.json');
    const r = await runCli(
      [
        'scan',
        'bundle.zbun',
        '-o',
        out,
        '-q',
        '--hash',
        'sha256',
        '--plugin',
        './plugins/zebra-bundle.mjs',
        '--plugin',
        './plugins/zebra.mjs',
      ],
      { cwd: tmp },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const m = readJsonManifest(out);
    // The manifest names the plugin's source kind, so verify (and a reader) know what was opened.
    expect(m.header.source.kind).toBe('zebra-bundle');
    expect(m.items.map((i) => [i.path, i.size]).sort()).toEqual([
      ['in/a.zebra', 48],
      ['in/b.txt', 6],
    ]);
    expect(itemAt(m, 'in/a.zebra')?.format?.id).toBe('zebra');
    // Without the module the same file is no source evtriage knows: exit 2, saying so.
    const without = await runCli(['scan', 'bundle.zbun', '-o', path.join(tmp, 'm-none.json'), '-q'], { cwd: tmp });
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/bundle\.zbun is not a folder or an archive evtriage can read/);
    const verified = await runCli(['verify', out, 'bundle.zbun', '--plugin', './plugins/zebra-bundle.mjs'], {
      cwd: tmp,
    });
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toMatch(/^verified: 2 of 2 hashed item\(s\) match \(sha256\); 0 difference\(s\)\./m);
    expect(verified.code).toBe(0);
    const unverified = await runCli(['verify', out, 'bundle.zbun'], { cwd: tmp });
    expect(unverified.code).toBe(2);
    expect(unverified.stderr).toMatch(
      /source of kind zebra-bundle, which no loaded plugin provides\. Give the --plugin/,
    );
  });

  it('a source whose next entry can never come ends with an entry saying so: the items before it kept, the scan complete', async () => {
    const out = path.join(tmp, 'm-stall.ndjson');
    const r = await runCli(
      ['scan', 'stuck.sbun', '-o', out, '-f', 'ndjson', '-q', '--plugin', './plugins/stall-bundle.mjs'],
      { cwd: tmp },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const records = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            path?: string;
            format?: { id: string };
            details?: object;
            errors?: Array<{ code: string }>;
            complete?: boolean;
          },
      );
    const items = records.filter((x) => x.type === 'item');
    expect(items.map((i) => i.path)).toEqual(['in/contacts2.db', 'in/b.txt', 'stuck.sbun!/']);
    // The database went through a parse child, which then sat idle: an idle child does not hide the stall.
    expect(items[0]?.format?.id).toBe('sqlite');
    expect(items[0]?.details).toHaveProperty(['sqlite-summary', 'tables']);
    expect(items[2]?.errors?.map((e) => e.code)).toEqual(['SOURCE_STALLED']);
    expect(records.at(-1)).toMatchObject({ type: 'summary', complete: true });
  });

  it('reads evtriage.config.json from the current folder', async () => {
    const out = path.join(tmp, 'm2.json');
    const r = await runCli(['scan', '../evidence', '-o', out, '-q'], { cwd: path.join(tmp, 'with-config') });
    expect(r.code).toBe(0);
    const m = readJsonManifest(out);
    expect(itemAt(m, 'notes/a.zebra')?.format?.id).toBe('zebra');
    expect(m.header.options.hash).toEqual(['sha256']);
  });

  it('stops a --plugin detector stuck in a synchronous loop at its time budget (its probe worker is replaced); the scan completes', async () => {
    const out = path.join(tmp, 'm4.json');
    const r = await runCli(['scan', '../evidence', '-o', out, '-q'], {
      cwd: path.join(tmp, 'hang-config'),
      timeoutMs: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const m = readJsonManifest(out);
    expect(m.summary.complete).toBe(true);
    const stuck = m.items.find((i) => i.path === 'stuck.zebra');
    expect(stuck?.errors).toEqual([
      {
        stage: 'identify',
        code: 'PLUGIN_TIMEOUT',
        message:
          'detector zebra ran on past its deadline (no progress for 3000 ms; a synchronous loop?); the worker was stopped and replaced, and the other detectors ran without it.',
        plugin: 'zebra',
        severity: 'error',
      },
    ]);
    // The built-in detectors still decided the stuck file (binary bytes no signature names).
    expect(stuck?.format?.id).toBe('binary-unknown');
    expect(itemAt(m, 'notes/a.zebra')?.format?.id).toBe('zebra');
  });

  it('stops with exit 2 and says what to do for a plugin built for another contract; nothing is written', async () => {
    const out = path.join(tmp, 'm3.json');
    const r = await runCli(['scan', 'evidence', '-o', out, '--plugin', './plugins/old-contract.mjs'], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^evtriage: plugin \.\/plugins\/old-contract\.mjs: plugin zebra-old was built for plugin contract 0, but this evtriage implements contract 1\.\d+\.\d+; use a version of the plugin built for contract 1\.x\n$/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('stops scan and plugins with exit 2 for an app rule whose regular expression does not compile, naming plugin and field; nothing is written', async () => {
    write(
      'plugins/bad-regex.mjs',
      "export const acmeApps = { kind: 'app-rules', meta: { id: 'acme-apps', version: '1.0.0', title: 'ACME apps' }, rules: [{ id: 'acme-chat', platform: 'android', pattern: '(?<app>com.acme' }] };\n",
    );
    const out = path.join(tmp, 'm-regex.json');
    const message =
      /^evtriage: plugin \.\/plugins\/bad-regex\.mjs: app rules acme-apps: rules\[0\]\.pattern: invalid regular expression: .*Unterminated group\n$/;
    const scanned = await runCli(['scan', 'evidence', '-o', out, '--plugin', './plugins/bad-regex.mjs'], { cwd: tmp });
    expect(scanned.stderr).toMatch(message);
    expect(scanned.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    const listed = await runCli(['plugins', '--plugin', './plugins/bad-regex.mjs'], { cwd: tmp });
    expect(listed.stderr).toMatch(message);
    expect(listed.code).toBe(2);
  });

  it('evtriage plugins --plugin lists the loaded plugin beside the built-ins', async () => {
    const r = await runCli(['plugins', '--json', '--plugin', './plugins/zebra.mjs'], { cwd: tmp });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; source: string }>;
    expect(list.find((p) => p.id === 'zebra')).toEqual({
      id: 'zebra',
      version: '2.3.4',
      kind: 'detector',
      formats: ['zebra'],
      source: './plugins/zebra.mjs',
    });
    expect(list.find((p) => p.id === 'sqlite')).toMatchObject({ kind: 'detector', source: 'built-in' });
  });
});
