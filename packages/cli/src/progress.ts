/**
 * Progress on stderr, only when stderr is a terminal: files done, bytes and
 * rate, redrawn at most 10 times a second.
 */
import { formatBytes } from '@evtriage/core/internal';

export interface Progress {
  tick(bytes: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled) return { tick() {}, done() {} };
  const start = Date.now();
  let files = 0;
  let bytes = 0;
  let last = 0;
  const draw = () => {
    const secs = Math.max(0.001, (Date.now() - start) / 1000);
    stream.write(
      `\r\x1b[K${files} files, ${formatBytes(bytes)}, ${Math.round(files / secs)} files/s, ${formatBytes(bytes / secs)}/s`,
    );
  };
  return {
    tick(b) {
      files++;
      bytes += b;
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        draw();
      }
    },
    done() {
      draw();
      stream.write('\n');
    },
  };
}
