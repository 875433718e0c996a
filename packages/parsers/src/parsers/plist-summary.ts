/**
 * Plist summary: the root type and its top-level keys (bounded), for binary
 * and XML property lists.
 */
import { defineParser } from '@evtriage/core/contract';
import { decodePlist } from '@evtriage/core/helpers';

const MAX_KEYS = 200;

export const plistSummaryParser = defineParser({
  meta: {
    id: 'plist-summary',
    version: '1.0.0',
    title: 'Plist top-level keys',
    formats: ['bplist', 'xml-plist'],
    diagnostics: { PLIST_MALFORMED: 'The property list could not be decoded.' },
  },
  requires: { maxSize: 64 * 1024 * 1024 },
  priority: 10,
  async parse(ctx) {
    let value: unknown;
    try {
      value = ctx.plist ?? decodePlist(await ctx.readAll());
    } catch (err) {
      ctx.report({
        code: 'PLIST_MALFORMED',
        severity: 'error',
        message: `the plist could not be decoded: ${(err as Error).message}`,
      });
      return undefined;
    }
    const root = Array.isArray(value)
      ? 'array'
      : value === null
        ? 'null'
        : typeof value === 'object'
          ? value instanceof Date
            ? 'date'
            : 'dict'
          : typeof value;
    const keys = root === 'dict' ? Object.keys(value as object) : [];
    return {
      details: {
        root,
        keyCount: keys.length,
        keys: keys.slice(0, MAX_KEYS),
        ...(Array.isArray(value) ? { length: value.length } : {}),
      },
    };
  },
});
