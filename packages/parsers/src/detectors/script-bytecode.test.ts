import { describe, it } from 'vitest';
import fs from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow } from './probe.test-helper.js';
import { scriptBytecodeDetector } from './script-bytecode.js';

testDetector(
  scriptBytecodeDetector,
  {
    fixtures: new URL('../../fixtures/script-bytecode/', import.meta.url),
    valid: [
      {
        file: 'luajit-stripped.raw',
        format: 'luajit-bytecode',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['LUAJIT_BYTECODE_HEADER'],
      },
      {
        file: 'luajit-debug.luac',
        format: 'luajit-bytecode',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['LUAJIT_BYTECODE_HEADER'],
      },
      {
        file: 'index.android.bundle',
        format: 'hermes-bytecode',
        status: 'opaque',
        confidence: { min: 0.95 },
        reasons: ['HERMES_BYTECODE_HEADER'],
      },
      {
        file: 'hello.yarb',
        format: 'ruby-yarv-binary',
        status: 'opaque',
        confidence: { min: 0.95 },
        reasons: ['RUBY_YARV_HEADER'],
      },
      {
        file: 'bootsnap-iseq',
        format: 'ruby-yarv-binary',
        status: 'opaque',
        confidence: { min: 0.95 },
        reasons: ['RUBY_YARV_HEADER'],
      },
    ],
    // PUC Lua's own bytecode is libmagic's; unknown LuaJIT flag bits and a Hermes version before any release are not these formats.
    invalid: [
      { file: 'lua54.luac' },
      { file: 'bad-flags.ljbc' },
      { file: 'old-version.bundle' },
      { file: 'yarb-no-platform.yarb' },
    ],
  },
  { framework: { describe, it } },
);

describe('script-bytecode on damaged input', () => {
  const dir = new URL('../../fixtures/script-bytecode/', import.meta.url);
  const seeds = ['luajit-stripped.raw', 'luajit-debug.luac', 'index.android.bundle', 'hello.yarb', 'bootsnap-iseq'].map(
    (n) => [n, new Uint8Array(fs.readFileSync(new URL(n, dir)))] as const,
  );
  fuzzFlipCutGrow(scriptBytecodeDetector, seeds, 200);
});
