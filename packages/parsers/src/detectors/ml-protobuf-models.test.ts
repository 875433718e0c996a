import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { mlProtobufModelsDetector } from './ml-protobuf-models.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

const dir = new URL('../../fixtures/ml-protobuf-models/', import.meta.url);

// ONNX by onnx and onnxruntime's quantiser, a SavedModel by TensorFlow, a SentencePiece model by its trainer,
// a Core ML model from Model.proto's layout (generate.sh).
testDetector(
  mlProtobufModelsDetector,
  {
    fixtures: dir,
    valid: [
      {
        file: 'matmul.onnx',
        format: 'onnx',
        status: 'analysable',
        confidence: { min: 0.95 },
        reasons: ['ONNX_MODEL_PROTO'],
      },
      { file: 'matmul_int8.onnx', format: 'onnx', status: 'analysable', reasons: ['ONNX_MODEL_PROTO'] },
      {
        file: 'saved_model.pb',
        format: 'tensorflow-saved-model',
        status: 'analysable',
        reasons: ['SAVED_MODEL_PROTO'],
      },
      // Renamed: the op names in the graph say TensorFlow.
      {
        file: 'saved_model.pb',
        name: 'saved_model.pb renamed',
        path: 'export/graph.pb',
        format: 'tensorflow-saved-model',
        status: 'analysable',
      },
      // A frozen graph: nodes named with their TensorFlow ops.
      { file: 'frozen_graph.pb', format: 'tensorflow-graph', status: 'analysable', reasons: ['TF_GRAPHDEF_PROTO'] },
      {
        file: 'tokenizer.model',
        format: 'sentencepiece-model',
        status: 'analysable',
        reasons: ['SENTENCEPIECE_PROTO'],
      },
      { file: 'regressor.mlmodel', format: 'coreml-model', status: 'analysable', reasons: ['COREML_MODEL_PROTO'] },
      { file: 'relu-input_0.pb', format: 'onnx-tensor', status: 'analysable', reasons: ['ONNX_TENSOR_PROTO'] },
      {
        file: 'avgpool1d-input_0.pb',
        format: 'onnx-tensor',
        status: 'analysable',
      },
      { file: 'scalar-input_0.pb', format: 'onnx-tensor', status: 'analysable' },
      { file: 'alexnet-output_0.pb', format: 'onnx-tensor', status: 'analysable' },
    ],
    invalid: [
      // A string tensor: no byte count to check the dims against.
      { file: 'strings-input_0.pb' },
      // A SavedModel's fingerprint: protobuf, but no model (the protobuf detector's, opaque).
      { file: 'fingerprint.pb' },
      // Text that starts with a line end, SentencePiece's first key byte.
      { file: 'notes.txt' },
    ],
  },
  { framework: { describe, it } },
);

const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, dir)));

describe('ml-protobuf-models on large files (the probe holds only the head)', () => {
  it('accepts an ONNX graph that runs past the head when its length fits the file', () => {
    const onnx = read('matmul_int8.onnx');
    const probe = { ...wholeFileProbe(onnx.subarray(0, 200), 'm.onnx'), size: onnx.length, complete: false };
    const d = mlProtobufModelsDetector.detect(probe, { limits: DEFAULT_LIMITS }) as Detection;
    expect(d.format.id).toBe('onnx');
    expect(d.reasons[0]!.figures).toMatchObject({ irVersion: 14, producer: 'onnx.quantize' });
    // The same head claiming a file shorter than the graph: rejected.
    expect(mlProtobufModelsDetector.detect({ ...probe, size: 300 }, { limits: DEFAULT_LIMITS })).toBeUndefined();
  });

  it('needs the name or TensorFlow op names for a SavedModel', () => {
    const pb = read('saved_model.pb');
    // Keep the SavedModel framing, blank out the text: only the name can say what it is.
    const blank = pb.map((b) => (b >= 0x41 && b <= 0x7a ? 0x2e : b));
    expect(
      mlProtobufModelsDetector.detect(wholeFileProbe(blank, 'graph.pb'), { limits: DEFAULT_LIMITS }),
    ).toBeUndefined();
  });
});

describe('ml-protobuf-models on ONNX tensors', () => {
  it('needs the data to hold exactly what the dims and type say', () => {
    const pb = read('avgpool1d-input_0.pb');
    const d = mlProtobufModelsDetector.detect(wholeFileProbe(pb, 'input_0.pb'), {
      limits: DEFAULT_LIMITS,
    }) as Detection;
    expect(d.reasons[0]!.figures).toMatchObject({ dataType: 1, elements: 36, dataBytes: 144 });
    // One dim changed from 6 to 7: 144 bytes are no longer 2 x 3 x 7 floats.
    const wrong = Buffer.from(pb);
    wrong[5] = 7;
    expect(
      mlProtobufModelsDetector.detect(wholeFileProbe(wrong, 'input_0.pb'), { limits: DEFAULT_LIMITS }),
    ).toBeUndefined();
  });
});

describe('ml-protobuf-models fuzz', () => {
  const seeds = fs
    .readdirSync(dir)
    .filter((n) => !/\.(sh|py)$/.test(n))
    .map((n) => [n, read(n)] as const);
  // A whole file must parse to its last byte: half the runs keep the whole seed (flips only).
  fuzzFlipCutGrow(mlProtobufModelsDetector, seeds, 100, { wholeHalf: true });
});

describe('ml-protobuf-models on random bytes', () => {
  it('recognises none of 30,000 random buffers that start with its signature bytes', () => {
    let s = 20261207;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    let hits = 0;
    for (let i = 0; i < 30_000; i++) {
      const b = new Uint8Array(16 + Math.floor(rand() * 4096)).map(() => Math.floor(rand() * 256));
      b[0] = [0x08, 0x0a, 0x10][i % 3]!;
      // Half with a small first varint, as the schemas want (ir_version, specificationVersion, a dim).
      if (i % 2 === 0) b[1] = 1 + Math.floor(rand() * 14);
      if (mlProtobufModelsDetector.detect(wholeFileProbe(b, 'x.pb'), { limits: DEFAULT_LIMITS })) hits++;
    }
    expect(hits).toBe(0);
  });
});
