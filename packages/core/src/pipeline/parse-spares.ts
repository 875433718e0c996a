/**
 * Idle parse children kept from a scan that ended, for the next scan in the
 * same process (a library scanning source after source, the tests' CLI host):
 * a new child costs ~0.7 s of CPU loading the plugin modules. A spare serves
 * only a pool whose key matches (parse-pool.ts: the same modules, parsers,
 * heap cap, Node options, environment and temporary folder) and is given that
 * scan's init. Spares keep nothing alive; they end when unused for 30 s, when
 * this process ends (their channel closes), or at `endSpareParseChildren`
 * (the CLI's entry, once its one command is done).
 *
 * This module imports only Node built-ins: the CLI's entry loads it at no cost.
 */
import type { ChildProcess } from 'node:child_process';

export interface SpareChild {
  proc: ChildProcess;
  /** What the child was started with (parse-pool.ts). */
  key: string;
  /** Resolves when the child has exited and its temporary folder is gone. */
  exited: Promise<void>;
}

/** Spares, oldest first. */
const spares: SpareChild[] = [];
const SPARE_IDLE_MS = 30_000;
/** At most this many are kept (a pool's largest size): scans that each want other children do not pile them up. */
const SPARES_MAX = 4;
let idleTimer: NodeJS.Timeout | undefined;

/** Keeps an idle, ready child for a later scan (the oldest spare ends when there are too many). */
export function parkParseChild(child: SpareChild): void {
  spares.push(child);
  for (const oldest of spares.splice(0, Math.max(0, spares.length - SPARES_MAX)))
    if (oldest.proc.connected) oldest.proc.disconnect();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void endSpareParseChildren(), SPARE_IDLE_MS);
  idleTimer.unref();
}

/** A spare started with `key` whose channel is open, taken from the spares; undefined when none. */
export function adoptParseChild<C extends SpareChild>(key: string): C | undefined {
  const i = spares.findIndex((c) => c.key === key && c.proc.connected);
  return i < 0 ? undefined : (spares.splice(i, 1)[0] as C);
}

/** Forgets a spare that exited on its own. */
export function forgetParseChild(child: SpareChild): void {
  const i = spares.indexOf(child);
  if (i >= 0) spares.splice(i, 1);
}

/** Waits for `children` to exit; one that has not within a second is killed. */
export async function settleChildren(children: readonly SpareChild[]): Promise<void> {
  const stragglers = setTimeout(() => {
    for (const c of children) c.proc.kill('SIGKILL');
  }, 1000);
  await Promise.all(children.map((c) => c.exited));
  clearTimeout(stragglers);
}

/** Ends the spare children and waits until they are gone (each removes its temporary folder as it exits). */
export async function endSpareParseChildren(): Promise<void> {
  clearTimeout(idleTimer);
  const ending = spares.splice(0);
  for (const c of ending) if (c.proc.connected) c.proc.disconnect();
  await settleChildren(ending);
}
