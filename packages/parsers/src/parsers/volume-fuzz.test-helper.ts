/**
 * Mutation fuzzing of a parser that reads a disk or volume image through its context (fixed seed): flipped and cut
 * copies of its fixtures, the flips half of the time in the bytes where the parser decides (`hot`). Each run gives
 * `check` the parser's result, the diagnostics it reported and its largest read; an exception fails the run.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import type { ParseContext, ParseResult, ParserPlugin } from '@evtriage/core/contract';

export interface VolumeRun {
  result: ParseResult | undefined;
  codes: string[];
  largest: number;
}

export async function fuzzVolumeParser(
  parser: ParserPlugin,
  fixtures: { folder: string; files: readonly string[]; name: string },
  hot: (at: number) => number,
  numRuns: number,
  check: (run: VolumeRun) => void,
): Promise<void> {
  const seeds = fixtures.files.map((file) =>
    fs.readFileSync(new URL(`../../fixtures/${fixtures.folder}/${file}`, import.meta.url)),
  );
  const extension = fixtures.name.slice(fixtures.name.lastIndexOf('.') + 1);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(),
      async (seed, flips, cut) => {
        const bytes = Buffer.from(cut % 2 === 0 ? seed : seed.subarray(0, cut % (seed.length + 1)));
        for (const [at, v] of flips) if (bytes.length > 0) bytes[(at % 2 === 0 ? hot(at) : at) % bytes.length] = v;
        const codes: string[] = [];
        let largest = 0;
        const ctx = {
          item: { size: bytes.length },
          probe: { path: fixtures.name, logicalPath: fixtures.name, name: fixtures.name, extension },
          read: (position: number, length: number) => {
            largest = Math.max(largest, length);
            return Promise.resolve(Buffer.from(bytes.subarray(position, position + length)));
          },
          report: (d: { code: string }) => codes.push(d.code),
        } as unknown as ParseContext;
        check({ result: (await parser.parse(ctx)) ?? undefined, codes, largest });
      },
    ),
    { seed: 20261207, numRuns },
  );
}
