/**
 * Openers for archives found inside a source: ZIP (also behind a prefix), TAR,
 * lone GZIP, xz, Zstandard, bzip2, LZMA, lzip, LZ4, compress (.Z) and lzop streams and the TARs inside them (implemented in @evtriage/core's sources, which own the readers,
 * limits and spooling; listed here with the other built-ins), base16/32/64 text and uuencoded files (their decoded bytes),
 * antivirus quarantine files (the quarantined file restored under the vendor's published key), and 7z, RAR and the
 * other archives 7-Zip reads (ar archives and RPM packages among them) (7-Zip compiled to WebAssembly, on a supervised thread: sevenzip/sevenzip-container.ts).
 */
import {
  gzipContainer,
  prefixedZipContainer,
  tarContainer,
  zipContainer,
  type ContainerOpener,
} from '@evtriage/core/internal-readers';
import { encodedTextContainer, uuencodedContainer } from './encoded-text-container.js';
import { withCpioFallback } from './cpio/cpio-fallback.js';
import { quarantineContainer } from './quarantine-container.js';
import { sevenZipContainer } from './sevenzip/sevenzip-container.js';
import { withSevenZipMethods } from './sevenzip/sevenzip-zip-methods.js';

export const builtinContainers: readonly ContainerOpener[] = [
  gzipContainer,
  tarContainer,
  // Members in methods core's ZIP reader does not decode (PPMd, implode, shrink...) are read through 7-Zip.
  withSevenZipMethods(zipContainer),
  withSevenZipMethods(prefixedZipContainer),
  encodedTextContainer,
  uuencodedContainer,
  quarantineContainer,
  // cpio archives 7-Zip cannot list (SunOS headers) are read from their own headers.
  withCpioFallback(sevenZipContainer),
];
