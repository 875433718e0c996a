/**
 * The registry: contract version check, metadata validation, duplicate ids,
 * stable order, and the plugin list the manifest header records.
 */
import { describe, expect, it } from 'vitest';
import { defineAppRules, defineDetector, defineParser } from './define.js';
import { createRegistry, PluginError, validatePlugin } from './registry.js';
import { CONTRACT_VERSION } from './types.js';

const det = (id: string, extra: Record<string, unknown> = {}) =>
  defineDetector({
    meta: {
      id,
      version: '1.2.3',
      title: id,
      formats: [{ id, name: id, status: 'opaque', how: 'signature' }],
      ...extra,
    },
    detect: () => undefined,
  });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PluginError);
    return (err as PluginError).code;
  }
  return undefined;
}

describe('plugin registry', () => {
  it('accepts a plugin for the current contract major, given as "1" or "1.x.y" or left out', () => {
    expect(CONTRACT_VERSION).toMatch(/^1\./);
    expect(() =>
      createRegistry([det('a'), det('b', { contract: '1' }), det('c', { contract: '1.4.0' })]),
    ).not.toThrow();
  });

  it('refuses a plugin built for another contract major, saying which and what to do', () => {
    expect(codeOf(() => validatePlugin(det('old', { contract: '0' })))).toBe('PLUGIN_CONTRACT_MISMATCH');
    expect(() => validatePlugin(det('future', { contract: '2.0.0' }))).toThrow(
      /plugin future was built for plugin contract 2\.0\.0, but this evtriage implements contract 1\.\d+\.\d+; use a version of the plugin built for contract 1\.x/,
    );
  });

  it('refuses malformed plugins with a reason', () => {
    expect(codeOf(() => validatePlugin(null))).toBe('PLUGIN_INVALID');
    expect(codeOf(() => validatePlugin({ meta: { id: 'x' } }))).toBe('PLUGIN_INVALID');
    expect(() => validatePlugin(det('Bad_Id'))).toThrow(/meta.id must be kebab-case/);
    expect(() => validatePlugin(det('v', { version: 'one' }))).toThrow(/meta.version must be semver/);
    expect(() => validatePlugin({ ...det('nodetect'), detect: 1 })).toThrow(/detect must be a function/);
  });

  it('refuses duplicate ids across kinds', () => {
    const parser = defineParser({
      meta: { id: 'a', version: '1.0.0', title: 'a', formats: ['a'] },
      parse: () => undefined,
    });
    expect(codeOf(() => createRegistry([det('a'), parser]))).toBe('PLUGIN_DUPLICATE');
  });

  it('orders by priority then id, and lists every plugin with its version for the manifest header', () => {
    const rules = defineAppRules({ meta: { id: 'rules', version: '0.1.0', title: 'rules' }, rules: [] });
    const reg = createRegistry([det('zeta'), { ...det('alpha'), priority: 90 }, det('beta'), rules]);
    expect(reg.detectors.map((d) => d.meta.id)).toEqual(['beta', 'zeta', 'alpha']);
    expect(reg.info()).toEqual([
      { id: 'alpha', version: '1.2.3', kind: 'detector', formats: ['alpha'] },
      { id: 'beta', version: '1.2.3', kind: 'detector', formats: ['beta'] },
      { id: 'rules', version: '0.1.0', kind: 'app-rules' },
      { id: 'zeta', version: '1.2.3', kind: 'detector', formats: ['zeta'] },
    ]);
  });
});
