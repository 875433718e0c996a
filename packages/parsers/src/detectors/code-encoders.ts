/**
 * Source code run through a commercial encoder or obfuscator: PHP encoded by
 * ionCube, Zend Guard or SourceGuardian, Python obfuscated by PyArmor. Each
 * file is a short clear stub (a loader check, an import of the vendor's
 * runtime) followed by an encoded body that only the vendor's loader reads.
 * Those loaders are free downloads (PyArmor's runtime ships beside the script)
 * and decode the body with nothing the user types: by the class rules that is
 * obfuscation, not encryption. No general tool reads the body, so the file is
 * opaque and named; without this check the text detector calls the stubs
 * readable text and a binary ionCube body reads as ciphertext.
 * References: ionCube Encoder user guide (the "<?php //0…" first line and the
 * `_il_exec` loader check); Zend Guard user guide ("@Zend;" stub); the
 * SourceGuardian user manual (`sg_load`); PyArmor 8 documentation
 * ("from pyarmor_runtime_xxxxxx import __pyarmor__") and PyArmor 7's
 * (`pytransform`, `pyarmor_runtime()`).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

interface Encoder {
  id: string;
  name: string;
  /** Test on the head as Latin-1 text; returns what was seen, for the reason. */
  test(text: string): string | undefined;
  extensions: string[];
  vendor: string;
}

const ENCODERS: readonly Encoder[] = [
  {
    id: 'ioncube-encoded',
    name: 'ionCube-encoded PHP script',
    extensions: ['php', 'inc'],
    vendor: "ionCube's free Loader extension",
    // The first line is "<?php //" and a hex version word (ionCube 10 and later: "//ICB0 71:0 81:1f1b", then
    // that line again); the stub then calls the loader.
    test: (t) =>
      /^<\?php \/\/(0[0-9a-f]{3,4}\r?\n|ICB0 [0-9a-f]+:[0-9a-f]+ )/i.test(t) && /ionCube Loader|_il_exec\(/.test(t)
        ? 'the "<?php //0…" (or "//ICB0") first line and the ionCube Loader check'
        : undefined,
  },
  {
    id: 'zend-guard-encoded',
    name: 'Zend Guard-encoded PHP script',
    extensions: ['php', 'inc'],
    vendor: "Zend's free Guard Loader (Zend Optimizer before PHP 5.3)",
    test: (t) =>
      /^<\?php @Zend;\r?\n\d+;/.test(t) && /This is not a text file|Zend (Guard|Encoder|Optimizer)/.test(t)
        ? 'the "<?php @Zend;" stub and its "not a text file" banner'
        : undefined,
  },
  {
    id: 'sourceguardian-encoded',
    name: 'SourceGuardian-encoded PHP script',
    extensions: ['php', 'inc'],
    vendor: "SourceGuardian's free loader (ixed.*.lin / .win)",
    test: (t) =>
      t.startsWith('<?php') && /function_exists\(\s*'sg_load'\s*\)/.test(t) && /sg_load\(\s*'[0-9A-Za-z+/=]{32}/.test(t)
        ? "the sg_load loader check and an sg_load('…') call on an encoded body"
        : undefined,
  },
  {
    id: 'pyarmor-obfuscated',
    name: 'PyArmor-obfuscated Python script',
    extensions: ['py', 'pyw'],
    vendor: 'the PyArmor runtime package shipped beside the script',
    // PyArmor 8+: "from pyarmor_runtime_NNNNNN import __pyarmor__"; PyArmor 6-7: pytransform's pyarmor_runtime().
    test: (t) => {
      const call = /__pyarmor__\(__name__, __file__, b['"]|\bpyarmor\(__name__, __file__, b['"]/.test(t);
      if (!call) return undefined;
      if (/from pyarmor_runtime(_\d+)? import __pyarmor__/.test(t))
        return 'the pyarmor_runtime import and a __pyarmor__(…) call on a bytes body (PyArmor 8 or later)';
      if (/from (\.?pytransform|pytransform\w*) import pyarmor/.test(t))
        return 'the pytransform import and a __pyarmor__(…) call on a bytes body (PyArmor 7 or earlier)';
      return undefined;
    },
  },
];

export const codeEncodersDetector = defineDetector({
  meta: {
    id: 'code-encoders',
    version: '1.0.0',
    title: 'PHP and Python source protected by ionCube, Zend Guard, SourceGuardian or PyArmor',
    formats: ENCODERS.map((e) => ({
      id: e.id,
      name: e.name,
      status: 'opaque' as const,
      how: 'structure' as const,
      extensions: e.extensions,
    })),
  },
  signatures: [
    { offset: 0, ascii: '<?php' },
    { offset: 0, ascii: 'pyarmor', within: 2048 },
    { offset: 0, ascii: 'pytransform', within: 2048 },
  ],
  minSize: 24,
  priority: 30,
  detect(probe): Detection | undefined {
    const text = ascii(probe.head.subarray(0, 4096));
    for (const e of ENCODERS) {
      const seen = e.test(text);
      if (!seen) continue;
      return plain('opaque', {
        id: e.id,
        name: e.name,
        confidence: 0.95,
        code: 'CODE_ENCODER_STUB',
        message: `${seen}: source code encoded for ${e.vendor}, which decodes it with no user secret (obfuscation, not encryption); no general tool reads the body.`,
        figures: { encoder: e.id },
      });
    }
    return undefined;
  },
});
