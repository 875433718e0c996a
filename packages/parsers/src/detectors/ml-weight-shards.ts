/**
 * Raw tensor bytes without a header, named by the layout of the model that
 * holds them: TensorFlow's tensor-bundle data shards
 * (`variables/variables.data-00000-of-00001`, `model.ckpt.data-00000-of-00002`,
 * described by the `.index` table beside them), ONNX external data
 * (`model.onnx.data`, `model.onnx_data`, as onnx.save_model writes it).
 * Float16, bfloat16 and
 * quantised weights look close to random, but nothing reads the bytes without
 * the file that describes them: opaque, named, never encrypted. The name
 * decides only while the bytes are not uniformly random: an app that encrypts
 * its weights leaves them to the statistics, which then say encrypted.
 * References: tensorflow/core/util/tensor_bundle/naming.cc (DataFilename:
 * "<prefix>.data-%05d-of-%05d"); onnx/external_data_helper.py.
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { uniformFromFirstByte } from './statistics-figures.js';
import { plain } from './util.js';

interface Shard {
  id: string;
  name: string;
  /** Matched against the logical path. */
  path: RegExp;
  describedBy: string;
}

const SHARDS: readonly Shard[] = [
  {
    id: 'tensorflow-checkpoint-data',
    name: 'TensorFlow checkpoint/SavedModel variables data shard (raw tensors)',
    path: /(^|\/)[^/]+\.data-\d{5}-of-\d{5}$/,
    describedBy: 'the tensor-bundle .index table beside it',
  },
  {
    id: 'onnx-external-data',
    name: 'ONNX external tensor data (raw tensors)',
    path: /(^|\/)[^/]+\.onnx[._]data$/i,
    describedBy: 'the ONNX model whose initializers point into it',
  },
];

export const mlWeightShardsDetector = defineDetector({
  meta: {
    id: 'ml-weight-shards',
    version: '1.0.0',
    title: 'Raw model weights named by their model layout (TensorFlow shards, ONNX external data)',
    formats: SHARDS.map((s) => ({ id: s.id, name: s.name, status: 'opaque' as const, how: 'path' as const })),
  },
  fallback: true,
  minSize: 16,
  priority: 60,
  detect(probe): Detection | undefined {
    const shard = SHARDS.find((s) => s.path.test(probe.logicalPath));
    if (!shard || uniformFromFirstByte(probe)) return undefined;
    return {
      ...plain('opaque', {
        id: shard.id,
        name: shard.name,
        confidence: 0.8,
        code: 'MODEL_WEIGHTS_PATH',
        message: `Named as ${shard.name.replace(/ \(raw tensors\)$/, '')} and not uniformly random: raw tensor bytes that only ${shard.describedBy} makes readable (opaque, not encrypted).`,
      }),
      basis: 'path',
    };
  },
});
