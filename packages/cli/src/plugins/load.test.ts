/**
 * Plugin loading and the config file, in process: paths and module names,
 * what a module may export, the errors (each a CliError, exit 2, saying what
 * to do), config discovery, validation and precedence of flags over config.
 * Plugin files are plain objects written to a temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../exit-codes.js';
import { loadConfig } from './config.js';
import { isPathSpec, loadPluginSpec } from './load.js';
import { applyScanDefaults, setupPlugins } from './setup.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-load-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
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
write('plugins/steals-sqlite.mjs', detector('sqlite'));
write('plugins/nothing.mjs', 'export const answer = 42;\n');
write('plugins/bad-plugins.mjs', 'export const plugins = 7;\n');
write('plugins/broken.mjs', 'export const x = ;\n');
write('plugins/broken-plugin.mjs', 'export const a = 1;\nexport const plugin = { name name };\n');
write('plugins/imports-broken.mjs', "import './broken-plugin.mjs';\nexport const b = 2;\n");
write(
  'plugins/bad-regex.mjs',
  "export const acmeApps = { kind: 'app-rules', meta: { id: 'acme-apps', version: '1.0.0', title: 'ACME apps' }, rules: [{ id: 'acme-chat', platform: 'android', pattern: '(?<app>com.acme' }] };\n",
);
write(
  'plugins/no-group.mjs',
  "export const acmeApps = { kind: 'app-rules', meta: { id: 'acme-apps2', version: '1.0.0', title: 'ACME apps' }, rules: [{ id: 'acme-chat', platform: 'android', pattern: 'com\\\\.acme' }] };\n",
);
write(
  'plugins/list.mjs',
  `${detector('zebra-a')}\n${detector('zebra-b')}\nexport const plugins = [zebra_a, zebra_b];\n`,
);
write('plugins/default.mjs', `${detector('zebra-d')}\nexport default zebra_d;\n`);
write(
  'node_modules/evtriage-plugin-zebra/package.json',
  JSON.stringify({
    name: 'evtriage-plugin-zebra',
    version: '2.3.4',
    type: 'module',
    exports: { '.': { import: './index.mjs' } },
  }),
);
write('node_modules/evtriage-plugin-zebra/index.mjs', detector('zebra-pkg'));

async function cliError(work: Promise<unknown>): Promise<string> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(2);
  return (err as Error).message;
}

describe('loadPluginSpec', () => {
  it('tells paths from module names', () => {
    expect(isPathSpec('./x.mjs', tmp)).toBe(true);
    expect(isPathSpec('/abs/x.mjs', tmp)).toBe(true);
    expect(isPathSpec('plugins/zebra.mjs', tmp)).toBe(true);
    expect(isPathSpec('evtriage-plugin-zebra', tmp)).toBe(false);
    expect(isPathSpec('@acme/evtriage-plugin', tmp)).toBe(false);
  });

  it('loads a named export, a default export, a plugins array, and an installed package by name', async () => {
    expect((await loadPluginSpec('./plugins/zebra.mjs', tmp)).map((l) => l.plugin.meta.id)).toEqual(['zebra']);
    expect((await loadPluginSpec('./plugins/default.mjs', tmp)).map((l) => l.plugin.meta.id)).toEqual(['zebra-d']);
    expect((await loadPluginSpec('plugins/list.mjs', tmp)).map((l) => l.plugin.meta.id)).toEqual([
      'zebra-a',
      'zebra-b',
    ]);
    const pkg = await loadPluginSpec('evtriage-plugin-zebra', tmp);
    expect(pkg.map((l) => [l.plugin.meta.id, l.from])).toEqual([['zebra-pkg', 'evtriage-plugin-zebra']]);
  });

  it('names the file, line and code of a syntax error, also in a module the plugin imports', async () => {
    const own = await cliError(loadPluginSpec('./plugins/broken-plugin.mjs', tmp));
    expect(own).toContain(
      `could not be loaded: SyntaxError: Unexpected identifier 'name' at ${path.join(tmp, 'plugins/broken-plugin.mjs')}:2\n    export const plugin = { name name };`,
    );
    const imported = await cliError(loadPluginSpec('./plugins/imports-broken.mjs', tmp));
    expect(imported).toContain(`at ${path.join(tmp, 'plugins/broken-plugin.mjs')}:2`);
  });

  it("checks a plugin's data when it loads: an app rule's invalid or group-less regular expression names the plugin and the field", async () => {
    expect(await cliError(loadPluginSpec('./plugins/bad-regex.mjs', tmp))).toMatch(
      /^plugin \.\/plugins\/bad-regex\.mjs: app rules acme-apps: rules\[0\]\.pattern: invalid regular expression: .*Unterminated group/,
    );
    expect(await cliError(loadPluginSpec('./plugins/no-group.mjs', tmp))).toBe(
      'plugin ./plugins/no-group.mjs: app rules acme-apps2: rules[0].pattern: needs a named group (?<app>...), or a fixed appId',
    );
  });

  it('refuses a missing file or module, a module with no plugin, a bad plugins export, a syntax error, another contract', async () => {
    expect(await cliError(loadPluginSpec('./plugins/none.mjs', tmp))).toMatch(
      /^plugin \.\/plugins\/none\.mjs: no such file \(looked for .*none\.mjs\)/,
    );
    expect(await cliError(loadPluginSpec('evtriage-plugin-nope', tmp))).toMatch(
      /^plugin evtriage-plugin-nope: cannot find the module from .*Install it there \(npm install evtriage-plugin-nope\)/,
    );
    expect(await cliError(loadPluginSpec('./plugins/nothing.mjs', tmp))).toMatch(
      /^plugin \.\/plugins\/nothing\.mjs exports no plugin\. Export a plugin made with defineDetector/,
    );
    expect(await cliError(loadPluginSpec('./plugins/bad-plugins.mjs', tmp))).toBe(
      'plugin ./plugins/bad-plugins.mjs: its "plugins" export must be an array of plugins.',
    );
    expect(await cliError(loadPluginSpec('./plugins/broken.mjs', tmp))).toMatch(
      /^plugin \.\/plugins\/broken\.mjs could not be loaded: ./,
    );
    expect(await cliError(loadPluginSpec('./plugins/old-contract.mjs', tmp))).toMatch(
      /^plugin \.\/plugins\/old-contract\.mjs: plugin zebra-old was built for plugin contract 0, but this evtriage implements contract 1\.\d+\.\d+; use a version of the plugin built for contract 1\.x$/,
    );
  });
});

describe('setupPlugins', () => {
  it('refuses an id a built-in has, or two loaded plugins with one id; the same module twice is loaded once', async () => {
    expect(await cliError(setupPlugins({ plugin: ['./plugins/steals-sqlite.mjs'] }, tmp))).toBe(
      'plugin id sqlite from ./plugins/steals-sqlite.mjs is already taken by the built-in plugins. Plugin ids must be unique: rename it (meta.id), or load the module once.',
    );
    write('plugins/zebra-copy.mjs', detector('zebra'));
    expect(await cliError(setupPlugins({ plugin: ['./plugins/zebra.mjs', './plugins/zebra-copy.mjs'] }, tmp))).toMatch(
      /^plugin id zebra from \.\/plugins\/zebra-copy\.mjs is already taken by \.\/plugins\/zebra\.mjs/,
    );
    expect((await setupPlugins({ plugin: ['./plugins/zebra.mjs', 'plugins/zebra.mjs'] }, tmp)).loaded).toHaveLength(1);
  });

  it('finds evtriage.config.json in the folder, resolves its plugins against it, and lets flags win over its scan defaults', async () => {
    const dir = path.join(tmp, 'cfg');
    write(
      'cfg/evtriage.config.json',
      JSON.stringify({
        plugins: ['../plugins/zebra.mjs'],
        scan: { hash: ['sha256', 'md5'], concurrency: 3, limits: { pluginTimeoutMs: 1234 } },
      }),
    );
    const setup = await setupPlugins({}, dir);
    expect(setup.config?.file).toBe(path.join(dir, 'evtriage.config.json'));
    expect(setup.loaded.map((l) => l.plugin.meta.id)).toEqual(['zebra']);
    const cmd = new Command()
      .option('-c, --concurrency <n>', '', Number, 16)
      .option('--hash <list>')
      .option('--include <g>', '', (v: string, p: string[]) => [...p, v], [] as string[]);
    cmd.parse(['--concurrency', '8'], { from: 'user' });
    const opts = applyScanDefaults(
      cmd.opts<{ concurrency: number; hash?: string; include: string[]; limits?: Record<string, number> }>(),
      setup,
      cmd,
    );
    expect(opts.concurrency).toBe(8);
    expect(opts.hash).toBe('sha256,md5');
    expect(opts.limits).toEqual({ pluginTimeoutMs: 1234 });
    expect(opts.extraPlugins.map((p) => p.meta.id)).toEqual(['zebra']);
    // A detector from a module file: its module goes to the supervised probe workers.
    expect(opts.detectorModules).toEqual([setup.loaded[0]!.url]);
    expect(opts.parserModules).toEqual([]);
  });

  it('reads an ESM config (default export, plugin objects), and explains a bad one', async () => {
    write(
      'cfg-mjs/evtriage.config.mjs',
      `import { zebra } from '../plugins/zebra.mjs';\nexport default { plugins: [zebra, './../plugins/list.mjs'] };\n`,
    );
    expect((await setupPlugins({}, path.join(tmp, 'cfg-mjs'))).loaded.map((l) => [l.plugin.meta.id, l.from])).toEqual([
      ['zebra', 'evtriage.config.mjs plugins[0]'],
      ['zebra-a', './../plugins/list.mjs'],
      ['zebra-b', './../plugins/list.mjs'],
    ]);
    write('cfg-bad/evtriage.config.json', JSON.stringify({ plugin: ['x'] }));
    expect(await cliError(loadConfig(undefined, path.join(tmp, 'cfg-bad')))).toMatch(
      /evtriage\.config\.json: unknown key plugin \(did you mean plugins\?\); allowed at the top level: plugins, scan$/,
    );
    write('cfg-nested/evtriage.config.json', JSON.stringify({ scan: { limits: { maxArchiveDepht: 3 } } }));
    expect(await cliError(loadConfig(undefined, path.join(tmp, 'cfg-nested')))).toBe(
      `config ${path.join(tmp, 'cfg-nested/evtriage.config.json')}: unknown key scan.limits.maxArchiveDepht (did you mean maxArchiveDepth?); allowed in scan.limits: probeHeadBytes, probeTailBytes, parseMaxBytes, pluginTimeoutMs, itemTimeoutMs, maxArchiveDepth, workerHeapMb`,
    );
    write('cfg-far/evtriage.config.json', JSON.stringify({ scan: { colour: true } }));
    expect(await cliError(loadConfig(undefined, path.join(tmp, 'cfg-far')))).toMatch(
      /: unknown key scan\.colour; allowed in scan: concurrency, hash, include, exclude, maxDepth, limits$/,
    );
    write('cfg-bad2/c.json', JSON.stringify({ scan: { concurrency: 0 } }));
    expect(await cliError(loadConfig('c.json', path.join(tmp, 'cfg-bad2')))).toMatch(/c\.json: scan\.concurrency: /);
    expect(await cliError(loadConfig('missing.json', tmp))).toMatch(/^--config missing\.json: no such file/);
    write(
      'cfg-obj/evtriage.config.mjs',
      `export default { plugins: [{ kind: 'detector', meta: { id: 'X', version: '1.0.0', title: 't', formats: [] }, detect() {} }] };\n`,
    );
    expect(await cliError(setupPlugins({}, path.join(tmp, 'cfg-obj')))).toMatch(
      /evtriage\.config\.mjs: plugins\[0\]: plugin X: meta\.id must be kebab-case/,
    );
  });

  it('takes the source kinds a module exports (defineSource) beside its plugins, and refuses a built-in kind id or one that is not kebab-case', async () => {
    const source = (id: string) =>
      `export const ${id.replace(/-/g, '_')} = { kind: 'source', id: '${id}', guess: () => false, open: async () => { throw new Error('not here'); } };\n`;
    write('plugins/with-source.mjs', `${detector('zebra-s')}${source('zebra-dump')}`);
    write('plugins/only-source.mjs', source('zebra-dump-2'));
    write('plugins/steals-zip.mjs', source('zip'));
    write('plugins/bad-id.mjs', source('Zebra_Dump'));
    const setup = await setupPlugins({ plugin: ['./plugins/with-source.mjs', './plugins/only-source.mjs'] }, tmp);
    expect(setup.loaded.map((l) => l.plugin.meta.id)).toEqual(['zebra-s']);
    expect(setup.sources.map((s) => [s.source.id, s.from])).toEqual([
      ['zebra-dump', './plugins/with-source.mjs'],
      ['zebra-dump-2', './plugins/only-source.mjs'],
    ]);
    const cmd = new Command();
    expect(applyScanDefaults({}, setup, cmd).extraSources.map((s) => s.id)).toEqual(['zebra-dump', 'zebra-dump-2']);
    expect(await cliError(setupPlugins({ plugin: ['./plugins/steals-zip.mjs'] }, tmp))).toBe(
      'source kind zip from ./plugins/steals-zip.mjs is already taken by the built-in sources. Source ids must be unique: rename it (id), or load the module once.',
    );
    expect(await cliError(setupPlugins({ plugin: ['./plugins/bad-id.mjs'] }, tmp))).toBe(
      'source kind "Zebra_Dump" from ./plugins/bad-id.mjs is not a kebab-case id (e.g. acme-dump); the manifest records it as the source kind. Rename it (id).',
    );
  });

  it('has no config when none is in the folder', async () => {
    expect(await loadConfig(undefined, path.join(tmp, 'plugins'))).toBeUndefined();
  });
});
