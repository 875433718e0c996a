/**
 * Java serialisation streams (magic ACED0005): structured, but no general
 * reader applies without the classes, so they are opaque, not encrypted.
 * Reference: Java Object Serialization Specification §6.4 (STREAM_MAGIC, STREAM_VERSION).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain } from './util.js';

const TC_NAMES: Record<number, string> = {
  0x73: 'object',
  0x75: 'array',
  0x74: 'string',
  0x72: 'class descriptor',
  0x77: 'block data',
  0x7e: 'enum',
};

export const javaSerializedDetector = defineDetector({
  meta: {
    id: 'java-serialized',
    version: '1.0.0',
    title: 'Java serialisation streams',
    formats: [
      {
        id: 'java-serialized',
        name: 'Java serialised object',
        status: 'opaque',
        how: 'signature',
        extensions: ['ser', 'bin', 'dat', 'key', 'obj'],
      },
    ],
  },
  signatures: [{ offset: 0, hex: 'aced0005' }],
  minSize: 5,
  priority: 40,
  detect(probe): Detection | undefined {
    const what = TC_NAMES[probe.head[4]!];
    if (!what) return undefined;
    return plain('opaque', {
      id: 'java-serialized',
      name: 'Java serialised object',
      confidence: 0.9,
      code: 'JAVA_SERIALIZATION_MAGIC',
      message: `Java serialisation magic ACED0005 followed by a ${what}: structured data that needs the app's classes to read; not encrypted.`,
      figures: { firstTypeCode: probe.head[4]! },
    });
  },
});
