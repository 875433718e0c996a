/**
 * Zero-byte files: nothing to read, nothing locked.
 */
import { defineDetector } from '@evtriage/core/contract';

export const emptyDetector = defineDetector({
  meta: {
    id: 'empty',
    version: '1.0.0',
    title: 'Empty files',
    formats: [{ id: 'empty', name: 'Empty file', status: 'analysable', how: 'structure' }],
  },
  maxSize: 0,
  priority: 0,
  detect: () => ({
    format: { id: 'empty', name: 'Empty file' },
    status: 'analysable',
    confidence: 1,
    reasons: [{ code: 'ZERO_BYTES', message: 'The file is empty (0 bytes).' }],
  }),
});
