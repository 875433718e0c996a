/**
 * Plist decoding for the engine's `requires.plistKeys` check and for parsers:
 * binary (`bplist00`) and OpenStep through the `plist` package, XML through
 * our streaming decoder (xml-plist.ts).
 *
 * Why XML is not `plist.parse`: it builds a full xmldom DOM and xmldom
 * recompiles its grammar regexes per document, ~22% of the main thread when
 * scanning the 100,000-file bench tree. Measured on 794 XML plists of that
 * tree (warm, one process): plist.parse 1.12 ms/file, decodeXmlPlist (saxes
 * events straight into values, the same values) 0.20 ms/file.
 * The plist package loads on the first binary or OpenStep plist (lazy-require.ts).
 */
import { plistModule } from '../lazy-require.js';
import { checkBinaryPlist } from './bplist-guard.js';
import { decodeXmlPlist } from './xml-plist.js';

const BPLIST = Buffer.from('bplist00', 'latin1');

/**
 * True when plist.parse would read this text as an OpenStep (ASCII) plist, or
 * as a binary plist given as a string (which it refuses with "bad magic";
 * bytes starting `bplist00` never get here): plist's own tests, in its order.
 */
function forPlistParse(text: string): boolean {
  if (text.startsWith('bplist')) return true;
  const trimmed = text.trimStart();
  return (
    (trimmed[0] === '{' || trimmed[0] === '(') &&
    !trimmed.startsWith('<?xml') &&
    !trimmed.startsWith('<!DOCTYPE') &&
    !trimmed.startsWith('<plist')
  );
}

/** Decodes a plist, binary, XML or OpenStep; throws on malformed input (callers record it as a diagnostic). */
export function decodePlist(bytes: Buffer): unknown {
  if (bytes.subarray(0, 8).equals(BPLIST)) {
    // The decoder follows references unchecked: refuse cycles and exponential sharing first (bplist-guard.ts).
    checkBinaryPlist(bytes);
    return plistModule().parseBinary(bytes);
  }
  const text = bytes.toString('utf8');
  return forPlistParse(text) ? plistModule().parse(text) : decodeXmlPlist(text);
}
