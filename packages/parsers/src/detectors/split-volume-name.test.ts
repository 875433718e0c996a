import { describe, expect, it } from 'vitest';
import { isSplitVolumeName } from './util.js';

describe('split-archive volume names', () => {
  it('knows the usual namings of later volumes', () => {
    for (const name of ['backup.002', 'archive.7z.003', 'photos.zip.002', 'data.r01', 'data.z02', 'x.part2.rar'])
      expect(isSplitVolumeName(name), name).toBe(true);
  });

  it('leaves first volumes and raw video streams (.263 to .266) alone', () => {
    for (const name of ['backup.001', 'backup.000', 'clip.264', 'clip.265', 'call.263', 'movie.266', 'notes.txt'])
      expect(isSplitVolumeName(name), name).toBe(false);
  });
});
