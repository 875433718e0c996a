/**
 * Plist decoding for the engine's `requires.plistKeys` check and for parsers:
 * binary (`bplist00`), XML and OpenStep, through the `plist` package.
 */
import { parse, parseBinary } from 'plist';
import { checkBinaryPlist } from './bplist-guard.js';

const BPLIST = Buffer.from('bplist00', 'latin1');

/** Decodes a plist, binary or XML; throws on malformed input (callers record it as a diagnostic). */
export function decodePlist(bytes: Buffer): unknown {
  if (bytes.subarray(0, 8).equals(BPLIST)) {
    // The decoder follows references unchecked: refuse cycles and exponential sharing first (bplist-guard.ts).
    checkBinaryPlist(bytes);
    return parseBinary(bytes);
  }
  return parse(bytes.toString('utf8'));
}
