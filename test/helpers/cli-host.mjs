/**
 * A long-lived Node process that runs evtriage commands for the tests, one at
 * a time, with the built CLI's `runProgram` (packages/cli/dist): the same
 * commands, sources, workers and child processes as `evtriage ...`, without a
 * new Node start-up and module load per command (about 0.5 s of CPU each).
 * What belongs to the process itself (bin.ts: fatal-error handlers, exit
 * codes on signals, a reader closing standard output) is tested by spawning
 * the CLI (helpers/built-cli.ts).
 *
 * Each request sets the command's working folder, environment and standard
 * streams for its run and puts them back after. Started by helpers/cli.ts
 * with an IPC channel: request {id, args, cwd, env, input (base64)}, answer
 * {id, code, stdout, stderr}.
 */
import { Readable, Writable } from 'node:stream';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = path.resolve(import.meta.dirname, '../..');
const { runProgram } = await import(pathToFileURL(path.join(repo, 'packages/cli/dist/index.js')).href);

/** This process's own standard error, kept before any command replaces `process.stderr`. */
const hostStderr = process.stderr;

/** A stream that keeps what is written to it, as a pipe to the test would. */
function capture() {
  const chunks = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

/** Replaces `process[name]` (a getter) until the returned function is called. */
function swap(name, value) {
  const saved = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => value });
  return () => Object.defineProperty(process, name, saved);
}

/** Sets process.env to exactly `env` until the returned function is called. */
function swapEnv(env) {
  const saved = { ...process.env };
  const assign = (to) => {
    for (const k of Object.keys(process.env)) if (!(k in to)) delete process.env[k];
    for (const [k, v] of Object.entries(to)) process.env[k] = v;
  };
  assign(env);
  return () => assign(saved);
}

/** Whether every resource in `now` was there in `before` as often (a multiset inclusion). */
function within(now, before) {
  const left = [...before];
  return now.every((r) => {
    const i = left.indexOf(r);
    if (i >= 0) left.splice(i, 1);
    return i >= 0;
  });
}

/**
 * Resolves once the command holds nothing that keeps the event loop alive (a timer, a socket, a child or
 * thread it did not let go of): in its own process, `evtriage` would not exit until then, and a test of that
 * command times out. Run here, it does the same (the test's time limit stops this host); not a time bound.
 */
async function untilLetGo(before, args) {
  for (let polls = 1; ; polls++) {
    // Checked from a timer's callback: that timer has fired, so it is not among the active resources.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = process.getActiveResourcesInfo();
    if (within(now, before)) return;
    // Said once, on the test worker's output (the command's own is lost if the test's time limit stops this host).
    if (polls === 500)
      hostStderr.write(`cli-host: \`evtriage ${args.join(' ')}\` returned but still holds ${now.join(', ')}\n`);
  }
}

async function run({ args, cwd, env, input }) {
  const out = capture();
  const err = capture();
  const savedCwd = process.cwd();
  const restore = [
    swap('stdout', out.stream),
    swap('stderr', err.stream),
    swap('stdin', Readable.from(input ? [Buffer.from(input, 'base64')] : [])),
    swapEnv(env),
  ];
  process.chdir(cwd);
  // Nothing but the command keeps this process alive while it runs: a command that waits on nothing lets the
  // event loop empty, as it would in its own process (the scan's stall check listens for that).
  process.channel.unref();
  const before = process.getActiveResourcesInfo();
  try {
    const code = await runProgram([process.execPath, 'evtriage', ...args]);
    await untilLetGo(before, args);
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    process.channel.ref();
    process.chdir(savedCwd);
    for (const undo of restore.reverse()) undo();
  }
}

let queue = Promise.resolve();
process.on('message', (request) => {
  queue = queue.then(async () => {
    let answer;
    try {
      answer = { id: request.id, ...(await run(request)) };
    } catch (error) {
      answer = { id: request.id, error: String(error?.stack ?? error) };
    }
    process.send(answer);
  });
});
// The test worker that started this host went away: so does the host.
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
