/**
 * A parse child's private temporary folder: made by the supervisor
 * (parse-pool.ts) and named to the child in PRIVATE_TMPDIR_ENV. The supervisor
 * removes it when the child ends; when the scan's process dies first, nothing
 * there can, so the child removes it itself (parse-worker.ts once its channel
 * closes, parse-watchdog.ts before it ends a child stuck in a loop).
 */
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_TMPDIR_ENV = 'EVTRIAGE_PARSE_TMPDIR';
export const PRIVATE_TMPDIR_PREFIX = 'evtriage-parse-';

/** Removes `dir` if it is a parse child's private temporary folder (by its name: never another folder). */
export function removePrivateTmp(dir: string | undefined): void {
  if (dir && path.basename(dir).startsWith(PRIVATE_TMPDIR_PREFIX)) fs.rmSync(dir, { recursive: true, force: true });
}
