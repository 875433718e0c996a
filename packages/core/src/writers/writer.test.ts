/**
 * Write errors reach the command as themselves: a FIFO output whose reader
 * went away fails one write with EPIPE after that write was already taken,
 * and the next write must give EPIPE (a closed pipe, a stop), not
 * ERR_STREAM_DESTROYED (which the CLI took for a bug: exit 70).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { writeChunk } from './writer.js';

describe('writeChunk', () => {
  it('rejects with the error of a FIFO whose reader closed, on every later write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evtriage-writer-'));
    const fifo = path.join(dir, 'out.fifo');
    try {
      const made = spawn('mkfifo', [fifo]);
      await once(made, 'close');
      // A reader that takes 10 bytes and leaves, as `head -c 10 out.fifo` would.
      const reader = fs.createReadStream(fifo, { highWaterMark: 10 });
      reader.on('error', () => undefined);
      reader.once('data', () => reader.destroy());
      const out = fs.createWriteStream(fifo);
      out.on('error', () => undefined);
      let failure: unknown;
      for (let i = 0; i < 10_000 && !failure; i++) {
        try {
          await writeChunk(out, `line ${i} ${'x'.repeat(100)}\n`);
        } catch (err) {
          failure = err;
        }
      }
      expect((failure as NodeJS.ErrnoException).code).toBe('EPIPE');
      await expect(writeChunk(out, 'more\n')).rejects.toMatchObject({ code: 'EPIPE', syscall: 'write' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
