/**
 * Messages between worker-prober.ts (main thread) and probe-worker.ts (its
 * worker threads), and the layout of the shared progress array the
 * watchdog reads.
 */
import type { MemberLocation } from '../sources/zip-member.js';
import type { RemoteIdentification } from './identify.js';
import type { WorkerIdentifyFile, WorkerIdentifyInit } from './identify-worker.js';
import type { ProbeLimits } from './probe.js';

/** Slots of the shared Int32Array a worker writes as it goes (read by the watchdog, never written by it). */
export const PROGRESS = {
  /** Bumped per file started, per MiB hashed, per detector call. */
  beat: 0,
  /** Id of the batch in hand. */
  batch: 1,
  /** Index of the file in hand within that batch. */
  file: 2,
  /** STAGE of that file. */
  stage: 3,
  /** 1 + index in the init's detector ids of the detector running, 0 for none. */
  detector: 4,
  length: 5,
} as const;

export const STAGE = { idle: 0, read: 1, detect: 2 } as const;

export interface ProbeWorkerInit {
  type: 'init';
  plan: ProbeLimits;
  hash: readonly string[];
  /** A SharedArrayBuffer of PROGRESS.length Int32 slots. */
  progress: SharedArrayBuffer;
  /** Run these detectors here after the read (identify-worker.ts). */
  identify?: WorkerIdentifyInit;
}

/**
 * Sent by a worker started ahead of the scan (worker-prestart.ts), before its init: modules to start loading
 * now (the detectors' module graph is most of a worker's start-up). Loading only; init says what runs.
 */
export interface ProbeWorkerPreload {
  type: 'preload';
  modules: readonly string[];
}

export interface ProbeWorkerBatch {
  id: number;
  /**
   * Local paths, as strings or (for names that are not UTF-8) raw bytes; or where an archive member
   * lies in a local archive file (read, inflated and hashed here: sources/zip-member.ts).
   */
  files: Array<string | Uint8Array | MemberLocation>;
  /**
   * Probes already read elsewhere (archive members, read on the main thread), in the result
   * layout: only the detectors run here. `files` is empty then.
   */
  given?: { buffer: ArrayBuffer; meta: Float64Array<ArrayBuffer> };
  hash: boolean;
  /** The files' names, when detectors run here. */
  names?: WorkerIdentifyFile[];
  /** Per file, detectors not to run again (they stalled or crashed a worker on it): reported as failures. */
  skip?: Array<SkippedDetector[] | undefined>;
}

/** A detector left out on a retry, and the failure to report for it. */
export interface SkippedDetector {
  detector: string;
  code: 'PLUGIN_TIMEOUT' | 'MEMORY_LIMIT' | 'WORKER_CRASHED';
  message: string;
}

export type ProbeWorkerError = { code: string; message: string } | undefined;

export interface ProbeWorkerResult {
  id: number;
  buffer: ArrayBuffer;
  /** Per file, stride 6 + 3 x sampleCount: size (-1: failed), head at, head length, tail at, tail length, samples, then (offset, at, length) per sample. */
  meta: Float64Array<ArrayBuffer>;
  errors: ProbeWorkerError[];
  hashes?: Array<Record<string, string> | undefined> | undefined;
  hashErrors?: ProbeWorkerError[] | undefined;
  ident?: Array<RemoteIdentification | undefined> | undefined;
}

export interface IdentifyUnavailable {
  type: 'identify-unavailable';
  message: string;
}
