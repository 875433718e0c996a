/**
 * What travels through the queue: paths and options, never evidence bytes.
 * One extraction is a BullMQ flow: a `merge` job whose children are its
 * `shard` jobs, so the merge runs when the last shard has landed.
 */
import path from 'node:path';
import { z } from 'zod';

export const QUEUE_NAME = 'evtriage';

/** The scan options a shard job may carry (the rest are the worker's built-in defaults). */
export const ShardScanOptions = z
  .object({
    include: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    hash: z.string().optional(),
    caseId: z.string().optional(),
    examiner: z.string().optional(),
    sourceType: z.string().optional(),
    maxDepth: z.number().int().min(0).optional(),
    maxExpanded: z.number().int().min(0).optional(),
    maxRatio: z.number().int().min(0).optional(),
    maxMembers: z.number().int().min(0).optional(),
    itemTimeout: z.number().int().min(1).optional(),
  })
  .strict();
export type ShardScanOptions = z.infer<typeof ShardScanOptions>;

export const ShardJob = z
  .object({
    extraction: z.string(),
    source: z.string(),
    index: z.number().int().min(0),
    count: z.number().int().min(1),
    partsDir: z.string(),
    scan: ShardScanOptions,
  })
  .strict();
export type ShardJob = z.infer<typeof ShardJob>;

export const MergeJob = z
  .object({
    extraction: z.string(),
    source: z.string(),
    count: z.number().int().min(1),
    partsDir: z.string(),
    output: z.string(),
  })
  .strict();
export type MergeJob = z.infer<typeof MergeJob>;

/** Where shard K's finished part lives (a retried shard writes the same name: the merge sees one copy). */
export function partFile(partsDir: string, index: number, count: number): string {
  return path.join(partsDir, `part-${String(index + 1).padStart(String(count).length, '0')}-of-${count}.ndjson`);
}

export function shardJobId(extraction: string, index: number): string {
  return `${extraction}-shard-${index + 1}`;
}
