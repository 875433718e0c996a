/**
 * Test cases as data: the shapes of detector and parser cases, and the checks
 * the kit runs on the cases themselves before running any plugin (unknown
 * keys, duplicates, files outside or missing from the fixture folder, fixture
 * files no case uses). Every problem names the case (`valid[2]`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import type { Status } from '../model/classification.js';
import { stableStringify } from './compare.js';

/** Fields every case may carry. */
export interface CaseBase {
  /** The fixture file, relative to the suite's `fixtures` folder. */
  file: string;
  /** A title for the test; defaults to the file name. */
  name?: string;
  /** Runs only this case (debugging; never commit it). */
  only?: boolean;
  /** The path the engine would see (`data/data/com.acme/files/x.db`), when the plugin looks at paths; default: `file`. */
  path?: string;
  /** A known failure kept on record: why it fails. The test passes while the case fails, and fails once it passes. */
  fails?: string;
}

/** A file the detector must identify. */
export interface DetectorValidCase extends CaseBase {
  /** The format id the detector must report. */
  format: string;
  /** The status that detection must carry. */
  status: Status;
  /** Exact confidence, or bounds. */
  confidence?: number | { min?: number; max?: number };
  /** The reason codes of the detection, exactly, as a set (order ignored): no code missing, none extra. */
  reasons?: readonly string[];
  /** Reason codes the detection must include; others may be there too. */
  reasonsInclude?: readonly string[];
  /** A subset the detection's `encryption` must match (`{ scheme: 'acme-v2' }`). */
  encryption?: Record<string, unknown>;
  /** A subset the detection's `details` must match. */
  details?: Record<string, unknown>;
}

/** A look-alike the detector must not identify. */
export interface DetectorInvalidCase extends CaseBase {
  /** The format that must not be reported; default: no detection at all. */
  format?: string;
}

/** A file the parser must read. */
export interface ParserValidCase extends CaseBase {
  /** The item's format id; default: the suite's `format`, or the parser's only declared format. */
  format?: string;
  /** A subset of the parser's details (`item.details[<parser id>]`); `null` when it must record none. */
  details?: Record<string, unknown> | null;
  /** A subset of the artifact the parser claims (`{ id, counts: { messages: 3 } }`); `null` when it must claim none. */
  artifact?: Record<string, unknown> | null;
  /** A subset the item's encryption must match after parsing. */
  encryption?: Record<string, unknown>;
  /** The item's status after parsing (for parsers that reclassify). */
  status?: Status;
  /** The diagnostic codes the parser must report, as a multiset; default none. */
  diagnostics?: readonly string[];
}

/** A corrupt or truncated file the parser must survive, reporting exactly these diagnostics. */
export interface ParserInvalidCase extends CaseBase {
  format?: string;
  /** The diagnostic codes it must report (may be empty when the engine's requirement checks keep the parser out). */
  diagnostics: readonly string[];
  /** A subset of the details it may still give. */
  details?: Record<string, unknown>;
}

const BASE_KEYS = ['file', 'name', 'only', 'path', 'fails'];
export const CASE_KEYS = {
  detectorValid: [...BASE_KEYS, 'format', 'status', 'confidence', 'reasons', 'reasonsInclude', 'encryption', 'details'],
  detectorInvalid: [...BASE_KEYS, 'format'],
  parserValid: [...BASE_KEYS, 'format', 'details', 'artifact', 'encryption', 'status', 'diagnostics'],
  parserInvalid: [...BASE_KEYS, 'format', 'diagnostics', 'details'],
} as const;

/** Globs of files in a fixture folder that are not fixtures (generators, notes). */
export const DEFAULT_FIXTURE_IGNORE: readonly string[] = [
  '**/*.md',
  '**/README*',
  '**/*.sh',
  '**/*.py',
  '**/*.mjs',
  '**/*.cjs',
  '**/*.js',
  '**/*.ts',
  '**/*.mts',
  '**/*.cts',
  '**/Makefile',
  '**/.*',
];

export function fixtureDir(fixtures: string | URL): string {
  return fixtures instanceof URL ? fileURLToPath(fixtures) : path.resolve(fixtures);
}

/** Every file under the folder (POSIX relative paths, sorted), minus the ignored ones. */
export function listFixtures(dir: string, ignore: readonly string[]): string[] {
  const skip = picomatch([...ignore], { dot: true });
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const d of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(path.join(abs, d.name), r);
      else if (!skip(r)) out.push(r);
    }
  };
  walk(dir, '');
  return out;
}

/** A case with where it sits in the suite (`valid[2]`) and its title. */
export interface Located<C> {
  where: string;
  title: string;
  data: C;
  /** Problems with the case itself; when any, the case fails before the plugin runs. */
  problems: string[];
}

/**
 * Locates and checks the cases of one list: the value is an object, keys are
 * known, `file` exists inside the folder, no case repeats an earlier one.
 */
export function locateCases<C extends CaseBase>(
  list: unknown,
  group: 'valid' | 'invalid',
  allowed: readonly string[],
  required: readonly string[],
  dir: string,
  seen: Map<string, string>,
): Array<Located<C>> {
  if (!Array.isArray(list))
    return [
      {
        where: group,
        title: `${group}: not an array`,
        data: {} as C,
        problems: [`${group} must be an array of cases`],
      },
    ];
  return (list as unknown[]).map((raw, i) => {
    const where = `${group}[${i}]`;
    const problems: string[] = [];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      return {
        where,
        title: `${where}`,
        data: {} as C,
        problems: [`${where}: a case must be an object with at least "file"`],
      };
    }
    const data = raw as C;
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) problems.push(`${where}: unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    }
    for (const key of required) {
      if ((raw as Record<string, unknown>)[key] === undefined) problems.push(`${where}: "${key}" is required`);
    }
    if (typeof data.file === 'string') {
      const abs = path.resolve(dir, data.file);
      if (path.isAbsolute(data.file) || path.relative(dir, abs).startsWith('..'))
        problems.push(`${where}: file "${data.file}" must be relative to the fixture folder and stay inside it`);
      else if (!fs.existsSync(abs) || !fs.statSync(abs).isFile())
        problems.push(`${where}: fixture file "${data.file}" does not exist in ${dir}`);
    } else {
      problems.push(`${where}: "file" must be a string`);
    }
    const { name: _name, only: _only, ...identity } = raw as Record<string, unknown>;
    const key = stableStringify(identity);
    const earlier = seen.get(key);
    if (earlier) problems.push(`${where}: duplicates ${earlier} (same file and same expectations)`);
    else seen.set(key, where);
    const title = `${where} ${data.name ?? (typeof data.file === 'string' ? data.file : '')}`.trim();
    return { where, title, data, problems };
  });
}

/** A failure of a case: the message names the case. */
export class CaseFailure extends Error {
  constructor(where: string, problems: readonly string[]) {
    super(
      problems.length === 1
        ? problems[0]!.startsWith(where)
          ? problems[0]!
          : `${where}: ${problems[0]}`
        : `${where}:\n  - ${problems.map((p) => p.replace(`${where}: `, '')).join('\n  - ')}`,
    );
    this.name = 'CaseFailure';
  }
}
