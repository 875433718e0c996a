#!/usr/bin/env node
/**
 * Mutation fuzzer for the whole scanner: takes the repo's committed fixtures
 * (real files made by real tools), makes mutants with a seeded PRNG (bit
 * flips, byte runs, truncation, inserted bytes, huge length fields, pointer
 * cycles made by copying one plausible offset over another, and ZIPs of
 * mutants), scans them with the built CLI (packages/cli/dist/bin.js) under a
 * time limit and a memory cap, and reports every run that crashes (exit not
 * 0 or 1), hangs, leaves a manifest that is not complete and valid (or drops
 * a file), or passes the memory cap. Each failing batch is saved to --out with
 * the seed; each mutant of it is then scanned alone to name the culprit.
 *
 *   node scripts/fuzz.mjs [--seed 1] [--runs 10] [--batch 16] [--time-limit 60000]
 *                         [--mem-limit-mib 1024] [--out fuzz-failures] [--max-bytes 1048576] [--json]
 *                         [--pack] [--seed-dir DIR]... [--scan-arg ARG]...
 *
 * --pack        packs part of each batch with the real tools (Info-ZIP zip, GNU tar, tar -z/-J/-j/--zstd/--lzip/--lzma; see packBatch):
 *               mutants as members of real archives, whose members must all be listed.
 * --seed-dir    takes the seed files from DIR (repeatable) instead of the fixture folders, e.g.
 *               test/containers/fixtures.
 * --scan-arg    passes ARG on to every scan (repeatable): --scan-arg=--hash --scan-arg=md5,sha256,
 *               --scan-arg=-c --scan-arg=1.
 *
 * Exit 0 when every run passed, 1 when one failed, 2 on bad usage.
 * Needs `pnpm build` first. Long runs: docs/forensic-soundness.md, "Mutation fuzzing".
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './mulberry32.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(repo, 'packages/cli/dist/bin.js');
const FIXTURE_DIRS = ['packages/parsers/fixtures', 'packages/core/fixtures', 'test/fixtures'];
const SKIP = /\.(sh|py|mjs|cjs|js|ts|mts|md)$|(^|\/)(README|Makefile)/;

function parseArgs(argv) {
  const o = {
    seed: 1,
    runs: 10,
    batch: 16,
    timeLimit: 60_000,
    memLimitMiB: 1024,
    out: 'fuzz-failures',
    maxBytes: 1024 * 1024,
    json: false,
    pack: false,
    seedDirs: [],
    scanArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) usage(`${a} needs a value`);
      return x;
    };
    if (a === '--seed') o.seed = Number(v());
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--batch') o.batch = Number(v());
    else if (a === '--time-limit') o.timeLimit = Number(v());
    else if (a === '--mem-limit-mib') o.memLimitMiB = Number(v());
    else if (a === '--out') o.out = v();
    else if (a === '--max-bytes') o.maxBytes = Number(v());
    else if (a === '--json') o.json = true;
    else if (a === '--pack') o.pack = true;
    else if (a === '--seed-dir') o.seedDirs.push(v());
    else if (a.startsWith('--seed-dir=')) o.seedDirs.push(a.slice('--seed-dir='.length));
    else if (a === '--scan-arg') o.scanArgs.push(v());
    else if (a.startsWith('--scan-arg=')) o.scanArgs.push(a.slice('--scan-arg='.length));
    else usage(`unknown option ${a}`);
  }
  for (const k of ['seed', 'runs', 'batch', 'timeLimit', 'memLimitMiB', 'maxBytes'])
    if (!Number.isInteger(o[k]) || o[k] < 0) usage(`--${k} must be a whole number`);
  return o;
}

function usage(msg) {
  process.stderr.write(
    `fuzz: ${msg}\nusage: node scripts/fuzz.mjs [--seed N] [--runs N] [--batch N] [--time-limit MS] [--mem-limit-mib N] [--out DIR] [--max-bytes N] [--json] [--pack] [--seed-dir DIR]... [--scan-arg ARG]...\n`,
  );
  process.exit(2);
}

/** A seeded PRNG with the picks the mutators use, so a seed names a run exactly. */
function prng(seed) {
  const next = mulberry32(seed);
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

function seedFiles(maxBytes, dirs) {
  const out = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !SKIP.test(p)) {
        const size = fs.statSync(p).size;
        if (size > 0 && size <= maxBytes) out.push(p);
      }
    }
  };
  for (const d of dirs.length > 0 ? dirs.map((x) => path.resolve(x)) : FIXTURE_DIRS.map((x) => path.join(repo, x)))
    walk(d);
  return out;
}

/** The mutations; each takes the bytes and the PRNG and returns new bytes and a label. */
const MUTATIONS = {
  bitflips(b, r) {
    const m = Buffer.from(b);
    const n = 1 + r.int(8);
    for (let i = 0; i < n; i++) m[r.int(m.length)] ^= 1 << r.int(8);
    return m;
  },
  byteRun(b, r) {
    const m = Buffer.from(b);
    const at = r.int(m.length);
    const len = Math.min(m.length - at, 1 + r.int(64));
    m.fill(r.pick([0x00, 0xff, 0x7f, 0x80, r.int(256)]), at, at + len);
    return m;
  },
  truncate(b, r) {
    return Buffer.from(b.subarray(0, r.int(b.length)));
  },
  insert(b, r) {
    const at = r.int(b.length);
    const ins = Buffer.alloc(1 + r.int(64));
    for (let i = 0; i < ins.length; i++) ins[i] = r.int(256);
    return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
  },
  hugeLength(b, r) {
    // A length or count field near the start (headers), made huge, little- or big-endian.
    const m = Buffer.from(b);
    if (m.length < 8) return m;
    const at = r.int(Math.min(m.length - 4, 4096) + 1) & ~1;
    const v = r.pick([0xffffffff, 0x7fffffff, 0x80000000, 0x0fffffff, m.length * 2]) >>> 0;
    if (r.next() < 0.5) m.writeUInt32LE(v, at);
    else m.writeUInt32BE(v, at);
    return m;
  },
  pointerCycle(b, r) {
    // Copy a value that could be an offset into this file (< its length) over another such value:
    // a chain or tree pointer now points where another did, which is how cycles are made.
    const m = Buffer.from(b);
    const span = Math.min(m.length - 4, 64 * 1024);
    if (span < 8) return m;
    const le = r.next() < 0.7;
    const read = (o) => (le ? m.readUInt32LE(o) : m.readUInt32BE(o));
    const plausible = [];
    for (let tries = 0; tries < 256 && plausible.length < 16; tries++) {
      const o = r.int(span) & ~3;
      const v = read(o);
      if (v > 0 && v < m.length) plausible.push(o);
    }
    if (plausible.length < 2) return m;
    const from = r.pick(plausible);
    const to = r.pick(plausible);
    if (le) m.writeUInt32LE(read(from), to);
    else m.writeUInt32BE(read(from), to);
    // Sometimes make the field point at itself.
    if (r.next() < 0.3) {
      if (le) m.writeUInt32LE(to, to);
      else m.writeUInt32BE(to, to);
    }
    return m;
  },
};

/** A ZIP (APPNOTE 6.3.10: local headers, central directory, EOCD) of the given members, stored or deflated. */
function zipOf(members, r) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const { name, bytes } of members) {
    const deflate = r.next() < 0.5;
    const data = deflate ? zlib.deflateRawSync(bytes) : bytes;
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(bytes);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(bytes.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(deflate ? 8 : 0, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(bytes.length, 24);
    cd.writeUInt16LE(nameBytes.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(cd, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cdBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cdBytes.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, eocd]);
}

/** Makes `count` mutants in `dir`; returns their names, mutations and seed files. */
function makeBatch(dir, count, seeds, r) {
  const made = [];
  const kinds = Object.keys(MUTATIONS);
  for (let i = 0; i < count; i++) {
    const src = r.pick(seeds);
    const bytes = fs.readFileSync(src);
    let out = bytes;
    const applied = [];
    for (let n = 1 + r.int(3); n > 0; n--) {
      const k = r.pick(kinds);
      out = MUTATIONS[k](out, r);
      applied.push(k);
    }
    if (out.length === 0) out = bytes.subarray(0, 1);
    let name = `m${String(i).padStart(3, '0')}-${path.basename(src)}`;
    if (r.next() < 0.15) {
      // A ZIP of this mutant and another, then maybe mutated itself: nested archives of mutants.
      const other = MUTATIONS[r.pick(kinds)](fs.readFileSync(r.pick(seeds)), r);
      out = zipOf(
        [
          { name: path.basename(src), bytes: out },
          { name: 'other.bin', bytes: other },
        ],
        r,
      );
      if (r.next() < 0.5) out = MUTATIONS[r.pick(['bitflips', 'hugeLength', 'pointerCycle', 'truncate'])](out, r);
      applied.push('zip');
      name += '.zip';
    }
    fs.writeFileSync(path.join(dir, name), out);
    made.push({ name, from: path.relative(repo, src), mutations: applied });
  }
  return made;
}

/**
 * Runs one archiving tool in `cwd` over `names`; returns the archive's bytes, or undefined when the tool
 * refused (a name it cannot store, say): then the mutants stay loose.
 */
function archiveWith(tool, cwd, names) {
  const run = (cmd, args) => spawnSync(cmd, args, { cwd, maxBuffer: 256 * 1024 * 1024 });
  const ok = (x) => (x.status === 0 && x.stdout ? x.stdout : undefined);
  if (tool === 'zip') return ok(run('zip', ['-q', '-X', '-', ...names]));
  if (tool === 'zip-stored') return ok(run('zip', ['-q', '-X', '-0', '-', ...names]));
  const [, format, codec] = /^tar-(\w+)(?:\.(\w+))?$/.exec(tool);
  const compress =
    { gz: ['-z'], xz: ['-J'], bz2: ['-j'], zst: ['--zstd'], lz: ['--lzip'], lzma: ['--lzma'] }[codec] ?? [];
  return ok(run('tar', [`--format=${format}`, '--owner=0', '--group=0', ...compress, '-cf', '-', ...names]));
}
const PACKERS = [
  ['zip', '.zip'],
  ['zip-stored', '.zip'],
  ['tar-gnu', '.tar'],
  ['tar-pax', '.tar'],
  ['tar-ustar', '.tar'],
  ['tar-v7', '.tar'],
  ['tar-gnu.gz', '.tar.gz'],
  ['tar-pax.gz', '.tar.gz'],
  ['tar-gnu.xz', '.tar.xz'],
  ['tar-pax.bz2', '.tar.bz2'],
  ['tar-gnu.zst', '.tar.zst'],
  ['tar-gnu.lz', '.tar.lz'],
  ['tar-pax.lzma', '.tar.lzma'],
];

/**
 * --pack: about half of a batch's mutants are packed, 2 to 5 at a time, by the real tools: Info-ZIP zip writing
 * to a pipe (so every member's sizes follow its data, in a data descriptor), deflated or stored; GNU tar in gnu,
 * pax, ustar or v7 format, alone or compressed (tar -z, -J, -j, --zstd, --lzip, --lzma). A quarter of those archives are packed again with one more mutant
 * (an archive inside an archive). An archive left as the tool wrote it must list every member
 * (`p001.zip!/m003-x.db`); a third are then mutated too, and only the archive itself must be listed.
 */
function packBatch(dir, made, r) {
  const loose = [...made];
  const out = [];
  let n = 0;
  const pack = (group) => {
    const stage = path.join(dir, `.stage${n}`);
    fs.mkdirSync(stage);
    for (const x of group) fs.renameSync(path.join(dir, x.name), path.join(stage, x.name));
    const [tool, ext] = r.pick(PACKERS);
    const bytes = archiveWith(
      tool,
      stage,
      group.map((x) => x.name),
    );
    for (const x of group) fs.renameSync(path.join(stage, x.name), path.join(dir, x.name));
    fs.rmSync(stage, { recursive: true, force: true });
    if (!bytes) return undefined;
    const name = `p${String(n++).padStart(3, '0')}${ext}`;
    for (const x of group) fs.rmSync(path.join(dir, x.name));
    fs.writeFileSync(path.join(dir, name), bytes);
    return {
      name,
      from: group.map((x) => x.from).join(' '),
      mutations: [`${tool}(${group.map((x) => x.mutations.join('+')).join(', ')})`],
      expect: [name, ...group.flatMap((x) => (x.expect ?? [x.name]).map((e) => `${name}!/${e}`))],
    };
  };
  while (loose.length > made.length / 2) {
    const group = loose.splice(r.int(loose.length), 1);
    for (let k = 1 + r.int(4); k > 0 && loose.length > 0; k--) group.push(...loose.splice(r.int(loose.length), 1));
    let packed = pack(group);
    if (!packed) {
      out.push(...group);
      continue;
    }
    if (r.next() < 0.25 && loose.length > 0) {
      const other = loose.splice(r.int(loose.length), 1);
      const outer = pack([packed, ...other]);
      if (outer) packed = outer;
      else out.push(...other);
    }
    if (r.next() < 0.33) {
      const k = r.pick(['bitflips', 'truncate', 'hugeLength', 'pointerCycle', 'byteRun']);
      fs.writeFileSync(path.join(dir, packed.name), MUTATIONS[k](fs.readFileSync(path.join(dir, packed.name)), r));
      packed.mutations.push(k);
      packed.expect = [packed.name];
    }
    out.push(packed);
  }
  return [...out, ...loose];
}

/** Resident memory (KiB) of a process and its descendants, from /proc. */
function treeRssKiB(pid) {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const p = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' '))
          if (c.trim()) stack.push(Number(c));
      }
    } catch {
      // Gone between two reads.
    }
  }
  return total;
}

/** Scans `src` once; resolves with what went wrong, if anything. */
function scanOnce(src, manifest, opts) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'scan', src, '-o', manifest, '-q', ...opts.scanArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let killedFor;
    let peakKiB = 0;
    // Node itself could not be started: a finding about this machine, reported as a crash of the run.
    child.on('error', (err) => {
      stderr += `could not start the scan: ${err.message}\n`;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    const sampler = setInterval(() => {
      peakKiB = Math.max(peakKiB, treeRssKiB(child.pid));
      if (peakKiB > opts.memLimitMiB * 1024 && !killedFor) {
        killedFor = 'memory';
        child.kill('SIGKILL');
      }
    }, 50);
    const timer = setTimeout(() => {
      killedFor ??= 'hang';
      child.kill('SIGKILL');
    }, opts.timeLimit);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      resolve({ code, signal, stderr, killedFor, peakKiB });
    });
  });
}

/** What is wrong with a finished run and its manifest ('' when nothing). */
function judge(run, manifestFile, expectedNames) {
  if (run.killedFor === 'memory')
    return `memory: resident set passed the cap (${Math.round(run.peakKiB / 1024)} MiB seen)`;
  if (run.killedFor === 'hang') return 'hang: killed at the time limit';
  if (run.code !== 0 && run.code !== 1)
    return `crash: exit ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  if (/Unhandled 'error' event|FATAL ERROR/.test(run.stderr)) return `crash: ${run.stderr.trim().split('\n')[0]}`;
  let m;
  try {
    m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    return `manifest: not valid JSON (${err.message})`;
  }
  if (!m.header || !Array.isArray(m.items) || !m.summary) return 'manifest: header, items or summary missing';
  if (m.summary.complete !== true) return 'manifest: summary says incomplete';
  const c = m.summary.counts ?? {};
  if (c.items !== m.items.length || c.enumerated !== m.items.length)
    return `manifest: ${m.items.length} items, counts ${JSON.stringify(c)}`;
  const paths = new Set(m.items.map((i) => i.path));
  if (paths.size !== m.items.length) return 'manifest: two items share a path';
  // A container that says why it was not opened (the expansion-ratio guard on a mutated stream of zeros, a
  // header past repair) accounts for the members inside it: nothing was enumerated there, and the error says so.
  const unopened = new Set(m.items.filter((i) => i.errors?.some((e) => e.stage === 'container')).map((i) => i.path));
  const explained = (n) => n.split('!/').some((_, k, parts) => k > 0 && unopened.has(parts.slice(0, k).join('!/')));
  const missing = expectedNames.filter((n) => !paths.has(n) && !explained(n));
  if (missing.length > 0) return `manifest: dropped ${missing.slice(0, 3).join(', ')}`;
  for (const i of m.items) {
    if (!i.classification?.status || !Array.isArray(i.errors))
      return `manifest: item ${i.path} has no status or errors list`;
  }
  return '';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(bin)) usage(`${bin} is missing: run \`pnpm build\` first`);
  const seeds = seedFiles(opts.maxBytes, opts.seedDirs);
  if (seeds.length === 0) usage('no fixture files found');
  const r = prng(opts.seed);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-fuzz-'));
  const failures = [];
  let scanned = 0;
  try {
    for (let run = 0; run < opts.runs; run++) {
      const dir = path.join(work, `run${run}`);
      fs.mkdirSync(dir);
      let made = makeBatch(dir, opts.batch, seeds, r);
      if (opts.pack) made = packBatch(dir, made, r);
      const manifest = path.join(work, `run${run}.json`);
      const result = await scanOnce(dir, manifest, opts);
      scanned += opts.batch;
      const problem = judge(
        result,
        manifest,
        made.flatMap((x) => x.expect ?? [x.name]),
      );
      if (!problem) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(manifest, { force: true });
        continue;
      }
      // Save the batch, then find which mutants fail alone.
      const saved = path.resolve(opts.out, `seed${opts.seed}-run${run}`);
      fs.mkdirSync(saved, { recursive: true });
      fs.cpSync(dir, saved, { recursive: true });
      const culprits = [];
      for (const x of made) {
        const alone = path.join(work, `alone-${run}`);
        fs.rmSync(alone, { recursive: true, force: true });
        fs.mkdirSync(alone);
        fs.copyFileSync(path.join(dir, x.name), path.join(alone, x.name));
        const m2 = path.join(work, `alone-${run}.json`);
        const why = judge(await scanOnce(alone, m2, opts), m2, x.expect ?? [x.name]);
        if (why) culprits.push({ ...x, problem: why });
      }
      fs.writeFileSync(
        path.join(saved, 'fuzz-report.json'),
        JSON.stringify({ seed: opts.seed, run, problem, mutants: made, culprits }, null, 2),
      );
      failures.push({ run, problem, saved, culprits });
      process.stderr.write(
        `run ${run}: ${problem}\n  saved to ${saved}${culprits.map((c) => `\n  ${c.name} (${c.from}; ${c.mutations.join('+')}): ${c.problem}`).join('')}\n`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const report = { seed: opts.seed, runs: opts.runs, mutants: scanned, seedFiles: seeds.length, failures };
  if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else
    process.stderr.write(
      `fuzz: seed ${opts.seed}, ${opts.runs} run(s), ${scanned} mutants of ${seeds.length} fixture files, ${failures.length} failing run(s)\n`,
    );
  process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
