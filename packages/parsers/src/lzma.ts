/**
 * @napi-rs/lzma, loaded on first use: it loads a native addon (~15–20 ms), and
 * most of a scan's processes and threads never decode an LZMA stream.
 */
import { createRequire } from 'node:module';
import type * as NapiLzma from '@napi-rs/lzma';

let loaded: typeof NapiLzma | undefined;

export function napiLzma(): typeof NapiLzma {
  return (loaded ??= createRequire(import.meta.url)('@napi-rs/lzma') as typeof NapiLzma);
}
