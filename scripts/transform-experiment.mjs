/**
 * Does a file's verdict survive the bytes the world adds to it (or takes away)? Copies a tree's files once as
 * they are ("flat", the reference) and once per transform, keeping their relative paths, scans every copy with
 * the real CLI, and reports per transform the files whose status, format or scheme differ from the flat scan
 * (the untransformed file's own verdict: no labels needed). encrypted → other is the important direction.
 *
 * Transforms:
 *   lf      a line feed appended (a text tool's copy)
 *   text2k  2 KiB of log lines appended (a carve that ran on into the next file, an appended note)
 *   byte1   one 0x00 byte appended
 *   zpad4k  zeros to the next multiple of 4 KiB past the size (an aligned file gets 4 KiB: slack, a sector pad)
 *   half    cut to half its size, rounded down (a cut-short download or carve; files of 1 byte are skipped)
 *   noext   the last extension removed from the name (the bytes unchanged; a name taken is given `_2`, ...)
 *
 * --select encrypted[,opaque,...]: only the files whose verdict in a scan of --root (or in --reference, a
 * manifest of that scan) has one of these statuses are transformed; the other files of their folders are copied
 * as they are beside them (so a sibling key file, a companion or a folder rule stays; not reported), unless
 * --no-siblings. --labels a.tsv[,b.tsv] (score.py's labels, paths relative to --root) adds a score per
 * transform: items whose status differs from the label, labelled-encrypted missed, readable called encrypted;
 * and writes a relabelled copy for score.py beside each manifest (`<transform>.<labels file name>`).
 * The source tree is only read. Writes <out>/summary.json and prints the report.
 *
 * Usage: node scripts/transform-experiment.mjs --root DIR --out DIR [--transforms lf,text2k,byte1,zpad4k,half,noext]
 *        [--select encrypted] [--reference manifest.ndjson] [--no-siblings] [--labels a.tsv,b.tsv]
 *        [--max-size 67108864] [--list 200]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANGES } from './appended-bytes.mjs';
import { regularFiles } from './regular-files.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const flag = (name) => process.argv.includes(name);
const root = option('--root');
const out = option('--out');
if (!root || !out) throw new Error('--root and --out are required');
const ALL = ['lf', 'text2k', 'byte1', 'zpad4k', 'half', 'noext'];
const transforms = option('--transforms', ALL.join(',')).split(',').filter(Boolean);
for (const t of transforms) if (!ALL.includes(t)) throw new Error(`unknown transform ${t} (${ALL.join(', ')})`);
const select = option('--select', '').split(',').filter(Boolean);
const siblings = !flag('--no-siblings');
const labelsPaths = option('--labels', '').split(',').filter(Boolean);
const maxSize = Number(option('--max-size', 64 * 1024 * 1024));
const listMax = Number(option('--list', 200));
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'cli', 'dist', 'bin.js');

/** The transformed bytes, or undefined when the transform does not apply (skipped). */
const apply = { ...CHANGES, noext: (b) => b };

const files = regularFiles(root, maxSize).map((path) => relative(root, path));

/** Top-level verdicts of a manifest, by path. */
const readManifest = (manifest) => {
  const verdicts = new Map();
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    if (!line) continue;
    const item = JSON.parse(line);
    if (item.type !== 'item' || item.path.includes('!/')) continue;
    const reason = item.classification?.reasons?.[0];
    verdicts.set(item.path, {
      status: item.classification?.status ?? '-',
      format: item.format?.id ?? '-',
      scheme: item.encryption?.scheme ?? '-',
      errors: (item.errors ?? []).map((e) => e.code).join(','),
      reason: `${reason?.code ?? ''}: ${(reason?.message ?? '').slice(0, 200)}`,
    });
  }
  return verdicts;
};
const scan = (folder, manifest) => {
  // the CLI's exit status reports findings (encrypted items, errors); only a missing manifest is a failure
  const run = spawnSync('node', [cli, 'scan', folder, '-o', manifest, '-f', 'ndjson', '-q'], { stdio: 'inherit' });
  if (run.error) throw run.error;
  if (!existsSync(manifest)) throw new Error(`no manifest from scanning ${folder}`);
  return readManifest(manifest);
};

mkdirSync(out, { recursive: true });
let chosen = files;
if (select.length > 0) {
  const reference = option('--reference') ?? join(out, 'source.ndjson');
  const verdicts = option('--reference') ? readManifest(reference) : scan(root, reference);
  chosen = files.filter((f) => select.includes(verdicts.get(f)?.status));
}
const chosenSet = new Set(chosen);
const fileSet = new Set(files);
const folders = new Set();
for (const f of files) for (let d = dirname(f); d !== '.' && !folders.has(d); d = dirname(d)) folders.add(d);
const others = siblings ? files.filter((f) => !chosenSet.has(f) && chosen.some((c) => dirname(c) === dirname(f))) : [];

/** Writes one tree; returns the map from the written relative path to the original one (chosen files only). */
const build = (transform) => {
  const folder = join(out, transform);
  rmSync(folder, { recursive: true, force: true });
  // Folder paths are taken too: `x.zip` beside a folder `x` keeps a suffixed name.
  const taken = new Set(folders);
  const names = new Map();
  const place = (rel) => {
    let name = rel;
    if (transform === 'noext' && chosenSet.has(rel)) {
      const ext = extname(rel);
      const stem = ext ? rel.slice(0, -ext.length) : rel;
      name = stem;
      for (let n = 2; taken.has(name) || (name !== rel && fileSet.has(name) && !chosenSet.has(name)); n++)
        name = `${stem}_${n}`;
    }
    taken.add(name);
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    return join(folder, name);
  };
  for (const rel of others) copyFileSync(join(root, rel), place(rel));
  let skipped = 0;
  for (const rel of chosen) {
    const bytes = transform === 'flat' ? undefined : apply[transform](readFileSync(join(root, rel)));
    if (transform !== 'flat' && bytes === undefined) {
      skipped++;
      continue;
    }
    const target = place(rel);
    if (bytes === undefined) copyFileSync(join(root, rel), target);
    else writeFileSync(target, bytes);
    names.set(relative(folder, target), rel);
  }
  return { folder, names, skipped };
};

const labelSets = labelsPaths.map((path) => {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const classes = new Map(lines.slice(1).map((l) => [l.split('\t')[0], l.split('\t')[1]]));
  return { path, lines, classes };
});

const results = {};
const runTree = (transform) => {
  const { folder, names, skipped } = build(transform);
  const manifest = join(out, `${transform}.ndjson`);
  const scanned = scan(folder, manifest);
  const byOriginal = new Map();
  for (const [name, original] of names) byOriginal.set(original, { name, ...(scanned.get(name) ?? {}) });
  for (const { path, lines } of labelSets) {
    const renamed = new Map([...names].map(([name, original]) => [original, name]));
    const relabelled = [lines[0]];
    for (const line of lines.slice(1)) {
      const [p, ...rest] = line.split('\t');
      if (renamed.has(p)) relabelled.push([renamed.get(p), ...rest].join('\t'));
    }
    writeFileSync(join(out, `${transform}.${basename(path)}`), `${relabelled.join('\n')}\n`);
  }
  return { verdicts: byOriginal, skipped };
};

const score = (verdicts) =>
  labelSets.map(({ path, classes }) => {
    let labelled = 0;
    let wrong = 0;
    let missed = 0;
    let falseEncrypted = 0;
    for (const [original, v] of verdicts) {
      const label = classes.get(original);
      if (!label) continue;
      labelled++;
      if (v.status !== label) wrong++;
      if (label === 'encrypted' && v.status !== 'encrypted') missed++;
      if (label !== 'encrypted' && v.status === 'encrypted') falseEncrypted++;
    }
    return { labels: basename(path), labelled, wrong, encryptedMissed: missed, calledEncrypted: falseEncrypted };
  });

const flat = runTree('flat');
console.log(
  `${chosen.length} files transformed of ${files.length} under ${root}` +
    (select.length ? ` (selected: ${select.join(', ')}; ${others.length} siblings copied as they are)` : ''),
);
results.flat = { files: chosen.length, score: score(flat.verdicts) };
for (const s of results.flat.score)
  console.log(
    `flat ${s.labels}: ${s.wrong} of ${s.labelled} wrong, ${s.encryptedMissed} encrypted missed, ${s.calledEncrypted} called encrypted`,
  );
for (const transform of transforms) {
  const { verdicts, skipped } = runTree(transform);
  const changes = [];
  let statusChanged = 0;
  let encryptedLost = 0;
  let encryptedGained = 0;
  let formatChanged = 0;
  let schemeChanged = 0;
  for (const [original, before] of flat.verdicts) {
    const after = verdicts.get(original);
    if (!after) continue;
    const status = after.status !== before.status;
    const format = after.format !== before.format;
    const scheme = after.scheme !== before.scheme;
    if (!status && !format && !scheme) continue;
    if (status) statusChanged++;
    if (status && before.status === 'encrypted') encryptedLost++;
    if (status && after.status === 'encrypted') encryptedGained++;
    if (format) formatChanged++;
    if (scheme) schemeChanged++;
    changes.push({ original, name: after.name, before, after });
  }
  changes.sort(
    (a, b) =>
      Number(b.before.status === 'encrypted' && b.after.status !== 'encrypted') -
        Number(a.before.status === 'encrypted' && a.after.status !== 'encrypted') ||
      a.original.localeCompare(b.original),
  );
  results[transform] = {
    files: verdicts.size,
    skipped,
    statusChanged,
    encryptedLost,
    encryptedGained,
    formatChanged,
    schemeChanged,
    score: score(verdicts),
    changes: changes.map(({ original, name, before, after }) => ({ original, name, before, after })),
  };
  console.log(
    `\n== ${transform}: ${verdicts.size} files (${skipped} skipped): status changed ${statusChanged} ` +
      `(encrypted → other ${encryptedLost}, other → encrypted ${encryptedGained}), format ${formatChanged}, scheme ${schemeChanged}`,
  );
  for (const s of results[transform].score)
    console.log(
      `   ${s.labels}: ${s.wrong} of ${s.labelled} wrong, ${s.encryptedMissed} encrypted missed, ${s.calledEncrypted} called encrypted`,
    );
  for (const { original, name, before, after } of changes.slice(0, listMax))
    console.log(
      `${before.status}/${before.format}/${before.scheme} -> ${after.status}/${after.format}/${after.scheme}  ${original}` +
        (name !== original ? `  as ${name}` : '') +
        `\n    ${after.reason}\n    was ${before.reason}`,
    );
}
writeFileSync(join(out, 'summary.json'), `${JSON.stringify(results, null, 1)}\n`);
console.log(`\nsummary: ${join(out, 'summary.json')}`);
