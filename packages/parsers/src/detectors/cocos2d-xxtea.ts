/**
 * Cocos2d-x / Cocos Creator scripts and assets encrypted with XXTEA (the
 * engine's `setXXTEAKeyAndSign`, and `cocos luacompile -e` / `cocos jscompile
 * -e`): an optional clear "sign" (the Lua template's default is "XXTEA"; apps
 * choose their own), then XXTEA over the whole script, whose output is a
 * whole number of 32-bit words with the length in the last one. The key is
 * the app's own, compiled into its native library (libcocos2dlua.so,
 * libcocos2djs.so or the iOS executable); it is in no way derivable from the
 * file, so by the class rules the file is encrypted, with the app's binary as
 * the key hint. The statistics already called these files random; this names
 * them, states the sign, and catches the short ones (a few hundred bytes)
 * whose statistics are weak.
 * References: cocos2d-x 3.17 cocos/scripting/lua-bindings/manual/CCLuaStack.cpp
 * (luaLoadBuffer: skip the sign, xxtea_decrypt), external/xxtea/xxtea.cpp;
 * Cocos Creator 2.x jsb-adapter (".jsc" scripts, optionally zipped first).
 */
import { defineDetector, type Detection, type KeyHint } from '@evtriage/core/contract';
import { randomnessFigures } from '@evtriage/core/helpers';
import { isRandom, smallSampleTest } from './statistics-figures.js';
import { ascii, locked, startsWith } from './util.js';

const DEFAULT_SIGN = 'XXTEA';
const MAX_SIGN = 32;
/** Compiled Lua and JavaScript as Cocos names them, plain or encrypted alike. */
const SCRIPT_EXTENSIONS = new Set(['luac', 'jsc']);

const hint: KeyHint = {
  description:
    "The app's XXTEA key (and sign), compiled into its native library: libcocos2dlua.so or libcocos2djs.so in the APK's lib/<abi>/, or the iOS app's executable, where both sit as strings passed to setXXTEAKeyAndSign.",
  kind: 'key-file',
  present: 'unknown',
  lookFor: ['**/libcocos2dlua.so', '**/libcocos2djs.so', '**/libcocos2dcpp.so'],
};

/** Where the XXTEA words start: after the default sign, else after a leading run of sign characters that leaves whole words. */
function signLength(probe: { head: Uint8Array; size: number; extension: string }): number | undefined {
  if (startsWith(probe.head, DEFAULT_SIGN)) return DEFAULT_SIGN.length;
  if (!SCRIPT_EXTENSIONS.has(probe.extension)) return undefined;
  let run = 0;
  while (run < MAX_SIGN && run < probe.head.length && /[\w.-]/.test(String.fromCharCode(probe.head[run]!))) run++;
  for (let s = run; s >= 0; s--) if ((probe.size - s) % 4 === 0) return s;
  return undefined;
}

export const cocos2dXxteaDetector = defineDetector({
  meta: {
    id: 'cocos2d-xxtea',
    version: '1.0.0',
    title: 'Cocos2d-x scripts and assets encrypted with XXTEA',
    formats: [
      {
        id: 'cocos2d-xxtea',
        name: 'Cocos2d-x XXTEA-encrypted script or asset',
        status: 'encrypted',
        how: 'structure',
        extensions: ['luac', 'jsc', 'png', 'json'],
      },
    ],
  },
  minSize: 16,
  priority: 40,
  detect(probe): Detection | undefined {
    const sign = signLength(probe);
    if (sign === undefined) return undefined;
    const words = probe.size - sign;
    // XXTEA works on two words or more, and the encoder stores the length in the last word.
    if (words < 8 || words % 4 !== 0) return undefined;
    const blocks = [probe.head.subarray(sign), ...probe.samples.map((s) => s.bytes), probe.tail];
    const e = randomnessFigures(blocks);
    const small = smallSampleTest(blocks);
    const uniform = e.sampledBytes >= 64 ? isRandom(e) && small.uniform : false;
    if (!uniform) return undefined;
    const named = startsWith(probe.head, DEFAULT_SIGN);
    const signText = sign ? `the clear sign "${ascii(probe.head, 0, sign)}"` : 'no sign';
    return locked({
      id: 'cocos2d-xxtea',
      name: 'Cocos2d-x XXTEA-encrypted script or asset',
      confidence: named ? 0.93 : 0.85,
      code: 'COCOS_XXTEA_BODY',
      message: `${signText}${named ? " (cocos2d-x's default)" : ` and a .${probe.extension} name`}, then ${words} bytes of uniformly random 32-bit words (entropy ${e.shannon} bits/byte, chi-square p=${e.chiSquareP}): a script encrypted with XXTEA under the app's key, which is not in the file.`,
      figures: { signLength: sign, encryptedBytes: words, shannon: e.shannon, chiSquareP: e.chiSquareP },
      scheme: 'xxtea',
      keyHint: hint,
    });
  },
});
