/**
 * Mutation fuzzing of a parser that reads a disk or volume image through its context (fixed seed): flipped and cut
 * copies of its seed images. Half the flips land in bytes the parser reads on the intact image (headers, tables,
 * the guest's first sectors), where its decisions are made; the images are not copied (flips are an overlay). Each
 * run gives `check` the parser's result, the diagnostics it reported, its largest read and its number of reads; an
 * exception fails the run.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import type { ParseContext, ParseResult, ParserPlugin } from '@evtriage/core/contract';

export interface VolumeRun {
  result: ParseResult | undefined;
  codes: string[];
  largest: number;
  reads: number;
}

/** A parser's fixture files (packages/parsers/fixtures/<folder>/). */
export function fixtureSeeds(folder: string, files: readonly string[]): Buffer[] {
  return files.map((file) => fs.readFileSync(new URL(`../../fixtures/${folder}/${file}`, import.meta.url)));
}

export async function fuzzVolumeParser(
  parser: ParserPlugin,
  seeds: readonly Buffer[],
  name: string,
  numRuns: number,
  check: (run: VolumeRun) => void,
): Promise<void> {
  const extension = name.slice(name.lastIndexOf('.') + 1);
  const context = (bytes: Buffer, size: number, flips: Map<number, number>, reads: number[][], codes: string[]) =>
    ({
      item: { size },
      probe: { path: name, logicalPath: name, name, extension },
      read: (position: number, length: number) => {
        reads.push([position, length]);
        const out = Buffer.from(bytes.subarray(position, Math.min(size, position + length)));
        for (const [at, v] of flips) if (at >= position && at < position + out.length) out[at - position] = v;
        return Promise.resolve(out);
      },
      report: (d: { code: string }) => codes.push(d.code),
    }) as unknown as ParseContext;
  // The bytes each seed's intact parse reads.
  const touched = await Promise.all(
    seeds.map(async (seed) => {
      const reads: number[][] = [];
      await parser.parse(context(seed, seed.length, new Map(), reads, []));
      const ranges = reads.filter(([, n]) => n! > 0);
      return ranges.length > 0 ? ranges : [[0, seed.length]];
    }),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(),
      async (which, picks, cut) => {
        const seed = seeds[which]!;
        const size = cut % 2 === 0 ? seed.length : cut % (seed.length + 1);
        const flips = new Map<number, number>();
        for (const [i, at, v] of picks) {
          const range = touched[which]![i % touched[which]!.length]!;
          flips.set(i % 2 === 0 ? range[0]! + (at % range[1]!) : at % seed.length, v);
        }
        const reads: number[][] = [];
        const codes: string[] = [];
        const result = (await parser.parse(context(seed, size, flips, reads, codes))) ?? undefined;
        check({ result, codes, largest: Math.max(0, ...reads.map(([, n]) => n!)), reads: reads.length });
      },
    ),
    { seed: 20261207, numRuns },
  );
}
