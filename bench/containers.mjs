/**
 * Container benchmark, runnable alone:
 *   node bench/containers.mjs [--members 100000] [--tgz-mb 512] [--runs 1]
 * Generates (once, cached in bench/.data/containers/) a ZIP with many small
 * deflated members of mixed content (Python zipfile) and a TAR.GZ of mixed
 * small and large files (GNU tar + gzip), then measures, each scenario in a
 * child process of its own so its peak RSS is its own:
 * - zip-list: listing the central directory through ZipSource (members/s);
 * - zip-scan: listing + identification, the whole pipeline without hashing (members/s);
 * - tgz-scan: the whole pipeline over the TAR.GZ, one pass (MB/s of expanded bytes);
 * and the floors on the same input: `unzip -l`, `gzip -dc | wc -c`.
 * Runs from TypeScript sources (re-executes itself with tsx), so no build is needed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { args, opt } from './options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.dirname(here);

if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@evtriage/source', '--import', 'tsx', fileURLToPath(import.meta.url), ...args],
    { stdio: 'inherit', cwd: repo },
  );
  process.exit(r.status ?? 1);
}

const DATA = path.join(here, '.data', 'containers');
const MEMBERS = Number(opt('--members', 100000));
const TGZ_MB = Number(opt('--tgz-mb', 512));
const RUNS = Number(opt('--runs', 1));
const scenario = opt('--scenario', '');

function zipPath() {
  return path.join(DATA, `members-${MEMBERS}.zip`);
}
function tgzPath() {
  return path.join(DATA, `mixed-${TGZ_MB}mb.tar.gz`);
}

function generate() {
  fs.mkdirSync(DATA, { recursive: true });
  if (!fs.existsSync(zipPath())) {
    process.stderr.write(`generating ${zipPath()} ...\n`);
    execFileSync('python3', [
      '-c',
      `
import zipfile, random, json, sys
random.seed(1)
n = ${MEMBERS}
with zipfile.ZipFile(sys.argv[1] + '.part', 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for i in range(n):
        k = i % 5
        if k == 0: data = ('line %d of a text file\\n' % i).encode() * 20
        elif k == 1: data = json.dumps({'id': i, 'name': 'item %d' % i}).encode()
        elif k == 2: data = b'SQLite format 3\\x00' + bytes(2032)
        elif k == 3: data = random.randbytes(2048)
        else: data = b'\\x89PNG\\r\\n\\x1a\\n' + random.randbytes(600)
        z.writestr('d%03d/f%06d.bin' % (i % 500, i), data)
`,
      zipPath(),
    ]);
    fs.renameSync(zipPath() + '.part', zipPath());
  }
  if (!fs.existsSync(tgzPath())) {
    process.stderr.write(`generating ${tgzPath()} ...\n`);
    const tree = path.join(DATA, 'tgz-tree');
    fs.rmSync(tree, { recursive: true, force: true });
    fs.mkdirSync(tree, { recursive: true });
    let bytes = 0;
    let i = 0;
    const target = TGZ_MB * 1024 * 1024;
    const seed = crypto.createHash('sha256');
    while (bytes < target) {
      const dir = path.join(tree, `dir${String(i % 50).padStart(2, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      let data;
      if (i % 200 === 0)
        data = crypto.randomBytes(24 * 1024 * 1024); // large: spooled to a temporary file
      else if (i % 3 === 0) data = crypto.randomBytes(32 * 1024);
      else data = Buffer.from(`text ${i}\n`.repeat(2000 + (i % 500)));
      seed.update(data.subarray(0, 16));
      fs.writeFileSync(path.join(dir, `f${i}.dat`), data);
      bytes += data.length;
      i++;
    }
    execFileSync('sh', ['-c', `tar -C '${tree}' -cf - . | gzip -1 > '${tgzPath()}.part'`]);
    fs.renameSync(tgzPath() + '.part', tgzPath());
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

async function runScenario(name) {
  const core = await import('@evtriage/core');
  const parsers = await import('@evtriage/parsers');
  const t0 = process.hrtime.bigint();
  let count = 0;
  let bytes = 0;
  if (name === 'zip-list') {
    const src = await core.ZipSource.fromFile(zipPath());
    for await (const e of src.entries()) {
      count++;
      bytes += e.size;
    }
    await src.close();
  } else {
    const src = await core.openSource(name === 'zip-scan' ? zipPath() : tgzPath());
    const run = core.scan(src, { plugins: parsers.builtinPlugins, containers: parsers.builtinContainers });
    for await (const item of run) {
      count++;
      bytes += item.size;
    }
    await src.close();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const ru = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      name,
      count,
      bytes,
      seconds,
      cpuSeconds: (ru.userCPUTime + ru.systemCPUTime) / 1e6,
      maxRssMiB: ru.maxRSS / 1024,
    }) + '\n',
  );
}

function timedShell(cmd) {
  const t0 = process.hrtime.bigint();
  execFileSync('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

if (scenario) {
  await runScenario(scenario);
} else {
  generate();
  const results = {};
  for (const name of ['zip-list', 'zip-scan', 'tgz-scan']) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      const out = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          '--scenario',
          name,
          '--members',
          String(MEMBERS),
          '--tgz-mb',
          String(TGZ_MB),
        ],
        { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      if (out.status !== 0) throw new Error(`${name} failed: ${out.stderr}`);
      runs.push(JSON.parse(out.stdout.trim().split('\n').pop()));
    }
    runs.sort((a, b) => a.seconds - b.seconds);
    results[name] = runs[Math.floor(runs.length / 2)];
  }
  const unzipL = timedShell(`unzip -l '${zipPath()}' > /dev/null`);
  const gunzip = timedShell(`gzip -dc '${tgzPath()}' | wc -c > /dev/null`);
  const zl = results['zip-list'],
    zs = results['zip-scan'],
    tg = results['tgz-scan'];
  const mb = (b) => b / (1024 * 1024);
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`container benchmark (${new Date().toISOString()}, load average ${load})`);
  console.log(
    `ZIP ${MEMBERS} members, ${mb(fs.statSync(zipPath()).size).toFixed(1)} MiB; TAR.GZ ${mb(fs.statSync(tgzPath()).size).toFixed(1)} MiB compressed, ${mb(tg.bytes).toFixed(0)} MiB expanded`,
  );
  console.log('scenario            items     wall s   cpu s   rate                 peak RSS');
  console.log(
    `zip-list         ${String(zl.count).padStart(8)} ${zl.seconds.toFixed(2).padStart(9)} ${zl.cpuSeconds.toFixed(2).padStart(7)}   ${Math.round(
      zl.count / zl.seconds,
    )
      .toString()
      .padStart(8)} members/s   ${zl.maxRssMiB.toFixed(0).padStart(5)} MiB`,
  );
  console.log(
    `zip-scan         ${String(zs.count).padStart(8)} ${zs.seconds.toFixed(2).padStart(9)} ${zs.cpuSeconds.toFixed(2).padStart(7)}   ${Math.round(
      zs.count / zs.seconds,
    )
      .toString()
      .padStart(8)} members/s   ${zs.maxRssMiB.toFixed(0).padStart(5)} MiB`,
  );
  console.log(
    `tgz-scan         ${String(tg.count).padStart(8)} ${tg.seconds.toFixed(2).padStart(9)} ${tg.cpuSeconds.toFixed(2).padStart(7)}   ${(mb(tg.bytes) / tg.seconds).toFixed(1).padStart(8)} MB/s        ${tg.maxRssMiB.toFixed(0).padStart(5)} MiB`,
  );
  console.log(
    `floors: unzip -l ${unzipL.toFixed(2)} s (${Math.round(MEMBERS / unzipL)} members/s); gzip -dc ${gunzip.toFixed(2)} s (${(mb(tg.bytes) / gunzip).toFixed(1)} MB/s)`,
  );
}
