import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testDetector } from '@evtriage/core/testing';
import { buildArtifactsDetector, readBuildArtifact } from './build-artifacts.js';
import { fuzzFlipCutGrow } from './probe.test-helper.js';

const dir = new URL('../../fixtures/build-artifacts/', import.meta.url);

// Made by ccache 4.7.5, node 20, OpenJDK 17, rustc 1.95, GCC 12, Clang 14, CMake + Ninja, Go 1.19, aapt2 and libsolv; the ccache 4.5 layout and the look-alikes by hand (generate.sh).
testDetector(
  buildArtifactsDetector,
  {
    fixtures: dir,
    valid: [
      { file: 'ccache-result', format: 'ccache-entry', status: 'opaque', reasons: ['CCACHE_ENTRY_HEADER'] },
      { file: 'ccache-manifest', format: 'ccache-entry', status: 'opaque', reasons: ['CCACHE_ENTRY_HEADER'] },
      { file: 'ccache-4.5-result', format: 'ccache-entry', status: 'opaque', reasons: ['CCACHE_ENTRY_HEADER'] },
      { file: 'lib.js.code', format: 'v8-code-cache', status: 'opaque', reasons: ['V8_CODE_CACHE_HEADER'] },
      {
        file: 'hello-dynamic-head.jsa',
        format: 'java-cds-archive',
        status: 'opaque',
        reasons: ['JAVA_CDS_HEADER'],
      },
      { file: 'tzdb-head.dat', format: 'java-tzdb', status: 'opaque', reasons: ['JAVA_TZDB_HEADER'] },
      { file: 'libcrt.rmeta', format: 'rust-metadata', status: 'opaque', reasons: ['RUST_METADATA_HEADER'] },
      {
        file: 'query-cache.bin',
        format: 'rust-incremental-cache',
        status: 'opaque',
        reasons: ['RUST_INCREMENTAL_HEADER'],
      },
      { file: 'point-head.h.gch', format: 'gcc-pch', status: 'opaque', reasons: ['GCC_PCH_HEADER'] },
      { file: 'Point.pcm', format: 'clang-ast-file', status: 'opaque', reasons: ['CLANG_AST_HEADER'] },
      {
        file: 'bad.dia',
        format: 'clang-serialized-diagnostics',
        status: 'opaque',
        reasons: ['CLANG_DIAGNOSTICS_HEADER'],
      },
      { file: 'hello-deb.solv', format: 'libsolv-cache', status: 'opaque', reasons: ['LIBSOLV_HEADER'] },
      { file: 'tiny-rpm.solv', format: 'libsolv-cache', status: 'opaque', reasons: ['LIBSOLV_HEADER'] },
      { file: 'go-index-d', format: 'go-module-index', status: 'opaque', reasons: ['GO_MODULE_INDEX_HEADER'] },
      {
        file: 'values_strings.arsc.flat',
        format: 'aapt2-container',
        status: 'opaque',
        reasons: ['AAPT2_CONTAINER_HEADER'],
      },
      {
        file: 'layout_main.xml.flat',
        format: 'aapt2-container',
        status: 'opaque',
        reasons: ['AAPT2_CONTAINER_HEADER'],
      },
      { file: 'ninja_deps', format: 'ninja-deps', status: 'opaque', reasons: ['NINJA_DEPS_HEADER'] },
    ],
    invalid: [
      { file: 'not-gch.txt' },
      { file: 'not-solv.txt' },
      { file: 'not-dia.txt' },
      // A recording cut short: its chunk runs past the end of the file.
      { file: 'none-head.jfr' },
      { file: 'not-aapt2.flat' },
      { file: 'not-go-index.txt' },
      { file: 'not-pch.txt' },
      { file: 'not-ninja-deps.bin' },
      { file: 'not-ccache.bin' },
      { file: 'not-rmeta.bin' },
      { file: 'not-rsic.txt' },
      { file: 'not-v8-code-cache.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('build-artifacts header fields', () => {
  const read = (name: string) => {
    const bytes = new Uint8Array(readFileSync(new URL(name, dir)));
    return readBuildArtifact({ head: bytes, size: bytes.length })!;
  };

  it('tells a ccache result from a manifest and reads the ccache version', () => {
    expect(read('ccache-result').reasons[0]!.figures).toMatchObject({
      entryType: 'result',
      ccacheVersion: '4.7.5',
      compressed: true,
    });
    expect(read('ccache-manifest').reasons[0]!.figures).toMatchObject({ entryType: 'manifest' });
  });

  it('reads the dynamic CDS magic, the tz rules version and the rustc version', () => {
    expect(read('hello-dynamic-head.jsa').reasons[0]!.figures).toMatchObject({ dynamic: true });
    expect(read('tzdb-head.dat').reasons[0]!.figures!['tzdbVersion']).toMatch(/^\d{4}[a-z]$/);
    expect(read('libcrt.rmeta').reasons[0]!.figures!['rustc']).toMatch(/^rustc 1\.\d+\.\d+/);
  });

  it('reads a whole Flight Recorder chunk as readable', () => {
    const head = new Uint8Array(readFileSync(new URL('none-head.jfr', dir)));
    // The recording is one chunk (jfr summary: "Chunks: 1"), so its size is the header's chunk size.
    const size = Number(Buffer.from(head).readBigUInt64BE(8));
    const d = readBuildArtifact({ head, size })!;
    expect(d.format.id).toBe('java-flight-recording');
    expect(d.status).toBe('analysable');
    expect(d.reasons[0]!.figures).toMatchObject({ formatVersion: '2.1', firstChunkBytes: size });
  });

  it('needs the V8 payload length to fill the file: a cut code cache is not claimed', () => {
    const bytes = new Uint8Array(readFileSync(new URL('lib.js.code', dir)));
    expect(readBuildArtifact({ head: bytes, size: bytes.length + 64 })).toBeUndefined();
  });

  it('never throws on truncated or damaged headers', () => {
    for (const name of [
      'ccache-result',
      'ccache-4.5-result',
      'lib.js.code',
      'libcrt.rmeta',
      'query-cache.bin',
      'ninja_deps',
    ]) {
      const bytes = new Uint8Array(readFileSync(new URL(name, dir)));
      for (let n = 0; n < Math.min(bytes.length, 64); n++) {
        expect(() => readBuildArtifact({ head: bytes.subarray(0, n), size: n })).not.toThrow();
        const damaged = bytes.slice();
        damaged[n] = damaged[n]! ^ 0xff;
        expect(() => readBuildArtifact({ head: damaged, size: damaged.length })).not.toThrow();
      }
    }
  });

  fuzzFlipCutGrow(
    buildArtifactsDetector,
    [
      'ccache-result',
      'ccache-manifest',
      'ccache-4.5-result',
      'lib.js.code',
      'libcrt.rmeta',
      'query-cache.bin',
      'ninja_deps',
      'tzdb-head.dat',
      'point-head.h.gch',
      'Point.pcm',
      'go-index-d',
      'bad.dia',
      'hello-deb.solv',
      'values_strings.arsc.flat',
      'layout_main.xml.flat',
      'hello-dynamic-head.jsa',
    ].map((name) => [name, new Uint8Array(readFileSync(new URL(name, dir)))] as const),
    100,
    { wholeHalf: true },
  );
});
