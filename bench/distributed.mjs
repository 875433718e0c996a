/**
 * The queue on one machine: a generated tree scanned by 1, 2 and 3 local
 * workers (BullMQ + a private redis-server on loopback), against a plain
 * single-process scan, in the same run. Prints wall seconds per set-up.
 *
 * Usage: node bench/distributed.mjs [--files 20000] [--shards 6] [--workers 1,2,3]
 * Needs redis-server (Debian package redis-server) and a built CLI (pnpm build).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = path.join(repo, 'packages/cli/dist/bin.js');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const FILES = Number(opt('--files', 20000));
const SHARDS = Number(opt('--shards', 6));
const WORKERS = opt('--workers', '1,2,3').split(',').map(Number);

function makeTree(root) {
  for (let i = 0; i < FILES; i++) {
    const folder = path.join(root, `app${String(i % 40).padStart(2, '0')}`, `d${Math.floor(i / 400)}`);
    fs.mkdirSync(folder, { recursive: true });
    const kind = i % 4;
    const bytes =
      kind === 0
        ? Buffer.from(`note ${i}\n`.repeat(1 + (i % 7)))
        : kind === 1
          ? Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\n<map><int name="n" value="${i}"/></map>\n`)
          : kind === 2
            ? Buffer.from(JSON.stringify({ i, ok: i % 2 === 0 }))
            : Buffer.from(Array.from({ length: 64 + (i % 200) }, (_, k) => (i * 31 + k * 17) & 0xff));
    fs.writeFileSync(path.join(folder, `f${i}.${['txt', 'xml', 'json', 'bin'][kind]}`), bytes);
  }
}

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-dist-bench-'));
try {
  makeTree(path.join(dir, 'tree'));
  const t0 = Date.now();
  spawnSync(process.execPath, [
    bin,
    'scan',
    path.join(dir, 'tree'),
    '-o',
    path.join(dir, 'single.ndjson'),
    '-f',
    'ndjson',
    '-q',
  ]);
  const rows = [['single process (evtriage scan)', (Date.now() - t0) / 1000]];
  for (const n of WORKERS) {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    redis.on('error', (err) => {
      console.error(
        `bench: redis-server could not start (${err.message}); install it (apt-get install -y redis-server)`,
      );
      process.exit(1);
    });
    await new Promise((r) => setTimeout(r, 500));
    const workers = Array.from({ length: n }, (_, i) =>
      spawn(process.execPath, [bin, 'worker', '--redis', url, '--allow-root', dir, '--name', `w${i + 1}`], {
        stdio: 'ignore',
      }).on('error', (err) => {
        console.error(`bench: worker ${i + 1} could not start: ${err.message}`);
        process.exit(1);
      }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const t = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        bin,
        'queue',
        'submit',
        path.join(dir, 'tree'),
        '--shards',
        String(SHARDS),
        '--redis',
        url,
        '-o',
        path.join(dir, `q${n}.ndjson`),
        '--wait',
        '-q',
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push([`queue, ${n} worker${n > 1 ? 's' : ''}, ${SHARDS} shards`, (Date.now() - t) / 1000]);
    for (const w of workers) w.kill('SIGTERM');
    redis.kill('SIGTERM');
  }
  console.log(
    `${FILES} files, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}), load ${os.loadavg()[0].toFixed(1)}`,
  );
  for (const [name, s] of rows) console.log(`${name.padEnd(36)} ${s.toFixed(1)} s  ${Math.round(FILES / s)} files/s`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
