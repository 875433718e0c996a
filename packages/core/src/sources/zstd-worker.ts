/**
 * The Zstandard decoder's thread (zstd-decoder.ts starts it). fzstd runs
 * synchronously and can loop forever on a crafted frame (one of the Go zstd
 * package's fuzzing inputs does), so it runs here, where the scan's main thread
 * can stop it, never there. Each message carries compressed bytes; they are
 * pushed `SLICE` bytes at a time, and the reply comes early, with how many
 * bytes were used, once a bomb's output passes `MAX_REPLY_BYTES`.
 */
import { parentPort } from 'node:worker_threads';
import { createXXHash64 } from 'hash-wasm';
import { fzstdModule } from '../lazy-require.js';
import { FrameTracker } from './zstd-frames.js';
import type { ZstdReply, ZstdRequest } from './zstd-protocol.js';

/** XXH64 of each frame's content, checked against the frame's checksum (fzstd does not check it). */
const hasher = await createXXHash64();

const SLICE = 1024;
const MAX_REPLY_BYTES = 4 * 1024 * 1024;

let decoder: InstanceType<ReturnType<typeof fzstdModule>['Decompress']> | undefined;
let frames = new FrameTracker();
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
      hasher.update(chunk);
    });
    frames = new FrameTracker();
    hasher.init();
    return;
  }
  let used = 0;
  try {
    for (; used < m.bytes.length && outBytes < MAX_REPLY_BYTES; used += SLICE)
      pushChecked(m.bytes.subarray(used, used + SLICE));
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

/**
 * Pushes compressed bytes to the decoder cut where frames end, so that each frame's output is whole when its end
 * has been pushed; then checks the frame's checksum against the XXH64 of that output (RFC 8878 §3.1.1).
 */
function pushChecked(bytes: Uint8Array): void {
  let from = 0;
  for (const end of frames.feed(bytes)) {
    // Pushed as final: fzstd holds a frame of under 18 bytes until more come, and each frame's output must be out
    // before its checksum is checked (the decoder starts the next frame afresh on the next push).
    decoder!.push(bytes.subarray(from, end.at), true);
    from = end.at;
    if (end.checksum !== undefined) {
      // The checksum is the digest's low 32 bits (its last 8 hex digits), stored little-endian.
      const computed = Number.parseInt(hasher.digest('hex').slice(-8), 16);
      if (computed !== end.checksum)
        throw new Error(
          `a frame's content checksum does not match its data (stored 0x${end.checksum.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}): damaged compressed data`,
        );
    }
    hasher.init();
  }
  if (from < bytes.length) decoder!.push(bytes.subarray(from));
}
