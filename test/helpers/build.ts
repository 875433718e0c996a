/**
 * vitest global setup: brings the packages' dist folders up to date (an incremental `tsc -b`, a few seconds
 * when nothing changed), so the tests that run the built CLI never run a stale one.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/cli'], { cwd: repoRoot, stdio: 'inherit' });
}
