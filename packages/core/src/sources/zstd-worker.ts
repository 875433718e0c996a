/**
 * The Zstandard decoder's thread (zstd-decoder.ts starts it). fzstd runs
 * synchronously and can loop forever on a crafted frame (one of the Go zstd
 * package's fuzzing inputs does), so it runs here, where the scan's main thread
 * can stop it, never there. Each message carries compressed bytes; they are
 * pushed `SLICE` bytes at a time, and the reply comes early, with how many
 * bytes were used, once a bomb's output passes `MAX_REPLY_BYTES`.
 */
import { parentPort } from 'node:worker_threads';
import { fzstdModule } from '../lazy-require.js';
import type { ZstdReply, ZstdRequest } from './zstd-protocol.js';

const SLICE = 1024;
const MAX_REPLY_BYTES = 4 * 1024 * 1024;

let decoder: InstanceType<ReturnType<typeof fzstdModule>['Decompress']> | undefined;
let out: Uint8Array[] = [];
let outBytes = 0;

function reply(r: ZstdReply): void {
  parentPort!.postMessage(r);
}

parentPort!.on('message', (m: ZstdRequest) => {
  if (m.type === 'start') {
    const { Decompress } = fzstdModule();
    // A copy of each chunk: fzstd hands out views of its window, which it goes on writing.
    decoder = new Decompress((chunk) => {
      out.push(chunk.slice());
      outBytes += chunk.length;
    });
    return;
  }
  let used = 0;
  try {
    for (; used < m.bytes.length && outBytes < MAX_REPLY_BYTES; used += SLICE)
      decoder!.push(m.bytes.subarray(used, used + SLICE));
    used = Math.min(used, m.bytes.length);
    if (m.final && used === m.bytes.length) decoder!.push(new Uint8Array(0), true);
    reply({ type: 'output', chunks: out, used });
  } catch (err) {
    reply({ type: 'error', chunks: out, message: err instanceof Error ? err.message : String(err) });
  } finally {
    out = [];
    outBytes = 0;
  }
});
