import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import fs from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';
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
      {
        file: 'py2.7.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
      {
        file: 'py3.6.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
      {
        file: 'py3.8.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
      {
        file: 'py3.11.opt-2.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
      {
        file: 'py3.12-checked-hash.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
      {
        file: 'py3.13.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
      {
        file: 'test_wrapper.cpython-311.pyc',
        format: 'bytecode.python',
        status: 'analysable',
        confidence: { min: 0.9 },
        reasons: ['PYTHON_BYTECODE_HEADER'],
      },
    ],
    // PUC Lua's own bytecode is libmagic's; unknown LuaJIT flag bits and a Hermes version before any release are not these formats.
    invalid: [
      { file: 'lua54.luac' },
      { file: 'bad-flags.ljbc' },
      { file: 'old-version.bundle' },
      { file: 'yarb-no-platform.yarb' },
      // CRLF at offset 2 of a text file is no bytecode magic.
      { file: 'crlf-text.pyc' },
    ],
  },
  { framework: { describe, it } },
);

describe('script-bytecode on damaged input', () => {
  const dir = new URL('../../fixtures/script-bytecode/', import.meta.url);
  const seeds = [
    'luajit-stripped.raw',
    'luajit-debug.luac',
    'index.android.bundle',
    'hello.yarb',
    'bootsnap-iseq',
    'py3.6.pyc',
    'py3.13.pyc',
  ].map((n) => [n, new Uint8Array(fs.readFileSync(new URL(n, dir)))] as const);
  fuzzFlipCutGrow(scriptBytecodeDetector, seeds, 200);
});

describe('script-bytecode reasons', () => {
  it('says what the Hermes header holds, and only that', () => {
    const bytes = new Uint8Array(
      fs.readFileSync(new URL('../../fixtures/script-bytecode/index.android.bundle', import.meta.url)),
    );
    const found = scriptBytecodeDetector.detect(wholeFileProbe(bytes, 'index.android.bundle'), {
      limits: DEFAULT_LIMITS,
    }) as Detection | undefined;
    expect(found?.reasons[0]?.message).toMatch(
      /^Hermes bytecode header \(magic, version 99, source SHA-1, a file length of \d+ bytes, the file’s size\)/,
    );
    expect(found?.reasons[0]?.message).not.toMatch(/ruby|\n/i);
  });
});
