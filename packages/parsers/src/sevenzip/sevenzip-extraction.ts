/**
 * What an extraction left: 7-Zip's messages per member and for the whole block, where each member's file is,
 * and a reader over it that never follows a link.
 */
import fs from 'node:fs';
import type { ByteReader } from '@evtriage/core';

export interface Extracted {
  dir: string;
  errors: Map<string, string[]>;
  general: string[];
  failed?: Error;
}

/** 7-Zip's per-member extraction messages (`ERROR: Data Error : path`, `ERROR: CRC Failed : path`...). */
export function extractionErrors(stderr: string, stdout: string): { byPath: Map<string, string[]>; general: string[] } {
  const byPath = new Map<string, string[]>();
  const general: string[] = [];
  for (const raw of `${stderr}\n${stdout}`.split(/\r?\n/)) {
    // Not trimmed at the end: a member's name may end in a space (`ERROR: CRC Failed : x `).
    const line = raw.trimStart();
    const m = /^ERROR: (.+?) : (.+)$/.exec(line);
    if (m && !m[2]!.startsWith('/in/')) {
      const list = byPath.get(m[2]!) ?? [];
      list.push(m[1]!);
      byPath.set(m[2]!, list);
    } else if (/^(ERROR = |Unexpected end|Headers Error|There are data after)/.test(line)) {
      general.push(line);
    }
  }
  return { byPath, general: [...new Set(general)] };
}

/**
 * Where under its output folder 7-Zip writes a member listed as `listed`: the path with its empty, "." and ".."
 * parts left out (7-Zip's path correction, UI/Common/ExtractingFilePath.cpp: "../../etc/x", "/etc/x" and
 * "a/../etc/x" are written as "etc/x", "etc/x" and "a/etc/x"); undefined where the written name is not certain
 * (a last part of "." or "..", which 7-Zip renames, or no part left) or the name cannot be passed to it (a line
 * break: its list file holds one name a line). Never a path out of the folder.
 */
export function writtenPath(listed: string): string | undefined {
  if (/[\r\n]/.test(listed)) return undefined;
  const parts = listed.split('/');
  const last = parts[parts.length - 1];
  if (last === '.' || last === '..') return undefined;
  const kept = parts.filter((p) => p !== '' && p !== '.' && p !== '..');
  return kept.length ? kept.join('/') : undefined;
}

/** Where 7-Zip put the k-th member written as `written` in a batch (`-aou` renames the second and later: name_1.ext). */
export function extractedName(written: string, k: number): string {
  if (k === 0) return written;
  const slash = written.lastIndexOf('/');
  const dot = written.lastIndexOf('.');
  return dot > slash + 1 ? `${written.slice(0, dot)}_${k}${written.slice(dot)}` : `${written}_${k}`;
}

export const EMPTY_READER: ByteReader = {
  size: 0,
  read: () => Promise.resolve(Buffer.alloc(0)),
  close: () => Promise.resolve(),
};

export function fileReader(file: string): ByteReader {
  // The file is 7-Zip's output in our private folder; never a link it may have made.
  return fdReader(fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW));
}

/** A reader over an open file descriptor, which it owns: closed once, by `close()`. */
export function fdReader(fd: number): ByteReader {
  const size = fs.fstatSync(fd).size;
  let closed = false;
  return {
    size,
    read: (position, length) =>
      new Promise((resolve, reject) => {
        const l = Math.max(0, Math.min(length, size - position));
        const buf = Buffer.allocUnsafe(l);
        if (l === 0) return resolve(buf);
        fs.read(fd, buf, 0, l, position, (err, got) => (err ? reject(err) : resolve(buf.subarray(0, got))));
      }),
    close: () => {
      if (!closed) {
        closed = true;
        fs.closeSync(fd);
      }
      return Promise.resolve();
    },
  };
}
