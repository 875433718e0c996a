// Prints the config file reference (every key of evtriage.config.json, its
// type and meaning) from the zod schema the CLI validates configs with, or,
// with --write, puts it into docs/writing-a-plugin.md between
// <!-- config:start --> and <!-- config:end -->.
// test/parity/config-reference.test.ts fails when the page differs from what this prints.
// Run: node --conditions=@evtriage/source --import tsx scripts/config-reference.mjs [--write]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DOC = path.join(repoRoot, 'docs/writing-a-plugin.md');
export const START = '<!-- config:start -->';
export const END = '<!-- config:end -->';

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A JSON Schema type in words: `integer, ≥ 1, ≤ 1024`, `string or array of strings`. */
function typeOf(s) {
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array') return s.items && Object.keys(s.items).length > 0 ? `array of ${typeOf(s.items)}s` : 'array';
  const bounds = [];
  if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
  // zod gives every int the safe-integer range: only a real maximum is worth a word.
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) bounds.push(`≤ ${s.maximum}`);
  return [s.type ?? 'any', ...bounds].join(', ');
}

/**
 * The reference table of the config's JSON Schema (`configJsonSchema()` of the CLI):
 * one row per key, dotted (`scan.limits.pluginTimeoutMs`), in schema order.
 *
 * @example
 * configReference(configJsonSchema()); // '| key | type | meaning |\n|---|---|---|\n| `plugins` | array | ...'
 */
export function configReference(jsonSchema) {
  const rows = [];
  const walk = (node, prefix) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const name = prefix ? `${prefix}.${key}` : key;
      const isObject = child.type === 'object';
      rows.push(`| \`${name}\` | ${cell(isObject ? 'object' : typeOf(child))} | ${cell(child.description ?? '')} |`);
      if (isObject) walk(child, name);
    }
  };
  walk(jsonSchema, '');
  return ['| key | type | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The table between the markers of a page, or undefined without markers. */
export function referenceInDoc(text) {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return undefined;
  return text.slice(a + START.length, b).trim();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { configJsonSchema } = await import('../packages/cli/src/plugins/config.ts');
  const table = configReference(configJsonSchema());
  if (process.argv.includes('--write')) {
    const text = fs.readFileSync(DOC, 'utf8');
    if (referenceInDoc(text) === undefined) throw new Error(`${DOC} lacks ${START} / ${END}`);
    fs.writeFileSync(
      DOC,
      text.slice(0, text.indexOf(START) + START.length) + '\n' + table + '\n' + text.slice(text.indexOf(END)),
    );
  } else {
    console.log(table);
  }
}
