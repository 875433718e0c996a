import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { mlModelsDetector } from './ml-models.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const dir = new URL('../../fixtures/ml-models/', import.meta.url);

// Models by TensorFlow's converter, gguf's and safetensors' writers; GGML-era and legacy PyTorch files from
// their layouts (generate.sh, make_models.py).
testDetector(
  mlModelsDetector,
  {
    fixtures: dir,
    valid: [
      {
        file: 'dense_f32.tflite',
        format: 'tflite',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['TFLITE_MODEL'],
      },
      { file: 'dense_f16.tflite', format: 'tflite', status: 'analysable', reasons: ['TFLITE_MODEL'] },
      { file: 'tiny_q4_0.gguf', format: 'gguf', status: 'analysable', reasons: ['GGUF_HEADER'] },
      { file: 'ggjt-v3.bin', format: 'ggml-model', status: 'analysable', reasons: ['GGML_HEADER'] },
      { file: 'ggmf-v1.bin', format: 'ggml-model', status: 'analysable', reasons: ['GGML_HEADER'] },
      { file: 'ggml-unversioned.bin', format: 'ggml-model', status: 'analysable', reasons: ['GGML_HEADER'] },
      { file: 'fc_f16.safetensors', format: 'safetensors', status: 'analysable', reasons: ['SAFETENSORS_HEADER'] },
      // int8 weights are near-uniform bytes: the header, not the statistics, decides.
      { file: 'fc_int8.safetensors', format: 'safetensors', status: 'analysable', reasons: ['SAFETENSORS_HEADER'] },
      { file: 'legacy.pth', format: 'pytorch-legacy', status: 'analysable', reasons: ['TORCH_LEGACY_MAGIC'] },
      // Raw float16 tensors behind MILBlob's header: named, opaque.
      {
        file: 'weight.bin',
        path: 'Model.mlmodelc/weights/weight.bin',
        format: 'coreml-weights',
        status: 'opaque',
        reasons: ['MIL_BLOB_HEADER'],
      },
    ],
    invalid: [
      // TFL3 at offset 4, but the root table offset points past the file.
      { file: 'bad-root.tflite' },
      // The header names more tensor bytes than the file holds.
      { file: 'cut.safetensors' },
    ],
  },
  { framework: { describe, it } },
);

const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, dir)));

/** The probe of a large file: its first bytes only. */
function headOnly(bytes: Uint8Array, size: number, name: string) {
  return { ...wholeFileProbe(bytes, name), size, complete: false };
}

describe('ml-models on large files (the probe holds only the head)', () => {
  it('reads what the head holds and checks the rest against the size', () => {
    const gguf = read('tiny_q4_0.gguf');
    const d = mlModelsDetector.detect(headOnly(gguf.subarray(0, 512), 50_000_000, 'm.gguf'), {
      limits: DEFAULT_LIMITS,
    }) as Detection;
    expect(d.format.id).toBe('gguf');
    expect(d.reasons[0]!.figures).toMatchObject({ version: 3, tensors: 1, architecture: 'llama' });
    const st = read('fc_f16.safetensors');
    const cut = mlModelsDetector.detect(headOnly(st.subarray(0, 64), st.length, 'w.safetensors'), {
      limits: DEFAULT_LIMITS,
    }) as Detection;
    expect(cut.format.id).toBe('safetensors');
    // A header length beyond the file is no safetensors header.
    expect(
      mlModelsDetector.detect(headOnly(st.subarray(0, 64), 100, 'w.safetensors'), { limits: DEFAULT_LIMITS }),
    ).toBeUndefined();
  });

  it('names the tensors and their dtypes of a whole safetensors file', () => {
    const d = mlModelsDetector.detect(wholeFileProbe(read('fc_int8.safetensors'), 'fc_int8.safetensors'), {
      limits: DEFAULT_LIMITS,
    }) as Detection;
    expect(d.reasons[0]!.figures).toMatchObject({ tensors: 2, dtypes: 'F32,I8', exactEnd: true });
  });
});

describe('ml-models fuzz', () => {
  const seeds = fs
    .readdirSync(dir)
    .filter((n) => !/\.(sh|py)$/.test(n))
    .map((n) => [n, read(n)] as const);
  fuzzFlipCutGrow(mlModelsDetector, seeds, 200);
});

describe('ml-models on random bytes', () => {
  it('recognises none of 30,000 random buffers behind its signatures', () => {
    let s = 20261207;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const heads = ['GGUF', 'tjgg', 'lmgg', 'fmgg', 'algg'];
    const sentinel = [0xef, 0xbe, 0xad, 0xde];
    let hits = 0;
    for (let i = 0; i < 30_000; i++) {
      const b = new Uint8Array(32 + Math.floor(rand() * 4096)).map(() => Math.floor(rand() * 256));
      const kind = i % 4;
      if (kind === 3 && b.length >= 68) b.set(sentinel, 64);
      else if (kind === 0) b.set(Buffer.from('TFL3'), 4);
      else if (kind === 1) b.set(Buffer.from(heads[i % heads.length]!), 0);
      else {
        // A header length that fits the file, then a '{'.
        b.set(
          [Math.floor(rand() * b.length) - 8, 0, 0, 0, 0, 0, 0, 0].map((x) => Math.max(0, x) & 0xff),
          0,
        );
        b[8] = 0x7b;
      }
      if (mlModelsDetector.detect(wholeFileProbe(b, 'x.bin'), { limits: DEFAULT_LIMITS })) hits++;
    }
    expect(hits).toBe(0);
  });
});
