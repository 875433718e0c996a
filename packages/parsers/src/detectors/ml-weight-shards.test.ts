import { describe, it } from 'vitest';
import { testDetector } from '@evtriage/core/testing';
import { mlWeightShardsDetector } from './ml-weight-shards.js';

// A TensorFlow checkpoint's data shard and ONNX external data (generate.sh); the same shard encrypted.
testDetector(
  mlWeightShardsDetector,
  {
    fixtures: new URL('../../fixtures/ml-weight-shards/', import.meta.url),
    valid: [
      {
        file: 'variables.data-00000-of-00001',
        path: 'saved_model/variables/variables.data-00000-of-00001',
        format: 'tensorflow-checkpoint-data',
        status: 'opaque',
        reasons: ['MODEL_WEIGHTS_PATH'],
      },
      {
        file: 'variables.data-00000-of-00001',
        name: 'a checkpoint shard',
        path: 'train/model.ckpt-1200.data-00000-of-00002',
        format: 'tensorflow-checkpoint-data',
        status: 'opaque',
      },
      { file: 'model.onnx.data', format: 'onnx-external-data', status: 'opaque', reasons: ['MODEL_WEIGHTS_PATH'] },
    ],
    invalid: [
      // Encrypted weights under the shard's name: left to the statistics (which say encrypted).
      { file: 'encrypted-shard.bin', path: 'saved_model/variables/variables.data-00000-of-00001' },
      // The same bytes under another name: nothing names them.
      { file: 'variables.data-00000-of-00001', name: 'unnamed weights', path: 'cache/blob-3' },
    ],
  },
  { framework: { describe, it } },
);
