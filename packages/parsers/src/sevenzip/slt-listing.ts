/**
 * 7-Zip's technical listing (`7zz l -slt`) read into records: the archive's own properties (after `--`),
 * one record per member (after `----------`, separated by blank lines, `Key = Value` lines), and the
 * problems 7-Zip reported on its error stream. Reference: 7-Zip's CPP/7zip/UI/Console/List.cpp.
 */

export type SltRecord = ReadonlyMap<string, string>;

export interface SltListing {
  /** The archive's properties (Type, Physical Size, Solid, Blocks...): the last archive block printed. */
  archive: SltRecord;
  members: SltRecord[];
  /** Lines of 7-Zip's error stream that say something (the echo of the archive path dropped). */
  problems: string[];
}

/** The `Key = Value` records of lines [from, to), one per blank-line separated group, in one pass. */
function records(lines: readonly string[], from: number, to: number): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur: Map<string, string> | undefined;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line === '' || line.trim() === '') {
      cur = undefined;
      continue;
    }
    const at = line.indexOf(' = ');
    const key = at > 0 ? line.slice(0, at) : line.endsWith(' =') ? line.slice(0, -2) : undefined;
    if (key === undefined) continue;
    if (!cur) out.push((cur = new Map<string, string>()));
    cur.set(key, at > 0 ? line.slice(at + 3) : '');
  }
  return out;
}

/**
 * The lines under `ERRORS:` and `WARNINGS:` in the archive's block: 7-Zip
 * prints its archive error flags there one a line ("Headers Error", "Unexpected
 * end of archive", "There are data after the end of archive"; List.cpp,
 * PrintErrorFlags), up to the next `Key = Value`. A cpio whose second header
 * lies (name size 3) lists one member of two with only this to say so.
 */
function flagLines(lines: readonly string[], from: number, to: number): string[] {
  const out: string[] = [];
  let under: string | undefined;
  for (let i = Math.max(0, from); i < (to >= 0 ? to : lines.length); i++) {
    const line = lines[i]!;
    if (line === 'ERRORS:' || line === 'WARNINGS:') under = line === 'ERRORS:' ? 'error' : 'warning';
    else if (line.includes(' = ') || line.endsWith(' =') || line.trim() === '') under = undefined;
    else if (under) out.push(`${under}: ${line.trim()}`);
  }
  return out;
}

export function parseSltListing(stdout: string, stderr: string): SltListing {
  const lines = stdout.split(/\r?\n/);
  const dashes = lines.indexOf('----------');
  const archiveStart = lines.indexOf('--');
  const archive =
    (archiveStart >= 0 ? records(lines, archiveStart + 1, dashes >= 0 ? dashes : lines.length)[0] : undefined) ??
    new Map<string, string>();
  const members = dashes >= 0 ? records(lines, dashes + 1, lines.length).filter((r) => r.has('Path')) : [];
  // "Errors: N", "Warnings: N" closing lines and the archive-path echo add nothing.
  const problems = [
    ...lines.filter((l) => /^(Open )?(ERROR|WARNING)S?:? /.test(l)),
    ...flagLines(lines, archiveStart, dashes),
    ...stderr.split(/\r?\n/),
  ]
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(ERRORS|WARNINGS):$/.test(l) && !/^ERROR: \/in\/.* : \/in\//.test(l));
  // 7-Zip found the archive past the file's start (a self-extractor's stub, or headers it could not read there).
  const start = sltNumber(archive.get('Offset'));
  if (start)
    problems.push(`warning: the archive starts at byte ${start}; the ${start} bytes before it are not read as members`);
  return { archive, members, problems: [...new Set(problems)] };
}

/** A member's time (`2024-05-01 12:00:00.1234567`, printed in the process's local time) as ISO-8601 UTC. */
export function sltTime(value: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(value ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // 7-Zip (Emscripten's localtime) and Date's local time use the same zone rules: this inverts its conversion.
  const t = new Date(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(t.getTime()) || y < 1601) return undefined;
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  return `${t.toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** A number field (`Size`, `Packed Size`), or undefined when empty or not a number. */
export function sltNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
