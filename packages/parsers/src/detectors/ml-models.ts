/**
 * Machine-learning model files with a magic number or a self-describing
 * header: TensorFlow Lite (FlatBuffers, `TFL3`), llama.cpp's GGUF and the
 * GGML/GGMF/GGJT files before it, safetensors (a length, then a JSON table
 * of tensors), PyTorch's legacy `torch.save` stream, and Core ML's weight
 * blob files (MILBlob, opaque: raw tensors behind a header). Phones ship them in
 * apps, computers in caches of model hubs. Their weights (float16, int8,
 * 4-bit blocks) look close to random, so without a reader of the header the
 * statistics would call them opaque at best. Each has a published reader
 * (tflite's interpreter and flatc's schema, the gguf and safetensors Python
 * packages, llama.cpp's converter, torch.load): analysable.
 * References: TensorFlow Lite schema.fbs (file_identifier "TFL3", Model
 * table: version 3 first, description string at field 3); FlatBuffers
 * binary format (root uoffset, vtable soffset); GGUF spec in ggml's
 * docs/gguf.md (magic, version 1-3, tensor and key-value counts, keys as
 * length + bytes); llama.cpp convert_llama_ggml_to_gguf.py (GGML magics and
 * hyperparameters); safetensors' format description (u64 LE header size,
 * JSON with dtype/shape/data_offsets, space padding); PyTorch
 * torch/serialization.py `_legacy_save` (a pickled magic number
 * 0x1950a86a20f9469cfc6c, then protocol version 1001); coremltools
 * mlmodel/src/MILBlob/Blob/StorageFormat.hpp (storage_header, blob_metadata).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32le, u64le } from './util.js';

const TFLITE = { id: 'tflite', name: 'TensorFlow Lite model (FlatBuffers)' } as const;
const GGUF = { id: 'gguf', name: 'GGUF model (llama.cpp / ggml)' } as const;
const GGML = { id: 'ggml-model', name: 'GGML/GGJT model (llama.cpp, whisper.cpp before GGUF)' } as const;
const SAFETENSORS = { id: 'safetensors', name: 'safetensors tensor file' } as const;
const MIL_BLOB = { id: 'coreml-weights', name: 'Core ML weight blob file (MILBlob storage, weight.bin)' } as const;
const TORCH_LEGACY = {
  id: 'pytorch-legacy',
  name: 'PyTorch legacy torch.save file (pickles, then tensor data)',
} as const;

/** The pickled magic number torch.save wrote before 1.6: PROTO 2, LONG1 of 10 bytes (0x1950a86a20f9469cfc6c), STOP. */
const TORCH_MAGIC = '80028a0a6cfc9c46f9206aa850192e';

/** Larger counts than these are no model a program writes (and bound the numbers in reasons). */
const MAX_COUNT = 1 << 24;
/** safetensors refuses headers over 100 MB. */
const MAX_SAFETENSORS_HEADER = 100_000_000;

/** The TFLite Model table: version (must be 3 since schema v3) and, when present, its description string. */
export function tflite(h: Uint8Array, size: number): Detection | undefined {
  const root = u32le(h, 0);
  if (root === undefined || root < 8 || root % 4 !== 0 || root + 4 > Math.min(h.length, size)) return undefined;
  const soff = new DataView(h.buffer, h.byteOffset, h.byteLength).getInt32(root, true);
  const vtable = root - soff;
  if (vtable < 8 || vtable % 2 !== 0 || vtable + 4 > h.length) return undefined;
  const vsize = h[vtable]! | (h[vtable + 1]! << 8);
  const tsize = h[vtable + 2]! | (h[vtable + 3]! << 8);
  if (vsize < 4 || vsize % 2 !== 0 || vsize > 64 || vtable + vsize > h.length || tsize < 4) return undefined;
  const slot = (i: number) => (4 + 2 * i < vsize ? h[vtable + 4 + 2 * i]! | (h[vtable + 5 + 2 * i]! << 8) : 0);
  const vOff = slot(0);
  // The version field is written by every converter; a default (absent) one would mean version 0.
  const version = vOff ? u32le(h, root + vOff) : undefined;
  if (version !== 3) return undefined;
  let description: string | undefined;
  const dOff = slot(3);
  const rel = dOff ? u32le(h, root + dOff) : undefined;
  if (rel !== undefined) {
    const at = root + dOff + rel;
    const len = u32le(h, at);
    if (len !== undefined && len <= 256 && at + 4 + len <= h.length) {
      const s = ascii(h, at + 4, at + 4 + len);
      if (/^[\x20-\x7e]*$/.test(s)) description = s;
    }
  }
  return plain('analysable', {
    ...TFLITE,
    mime: 'application/x-tflite',
    confidence: 0.97,
    code: 'TFLITE_MODEL',
    message: `FlatBuffers file identifier "TFL3" and a Model table of schema version 3${description ? ` ("${description}")` : ''}: a TensorFlow Lite model, which the tflite interpreter and flatc read.`,
    figures: { schemaVersion: 3, ...(description ? { description } : {}) },
  });
}

/** GGUF: version 1-3, tensor and metadata counts, and the first key (general.architecture as writers put it). */
function gguf(h: Uint8Array, size: number): Detection | undefined {
  const version = u32le(h, 4);
  if (version === undefined || version < 1 || version > 3) return undefined;
  const wide = version >= 2;
  const tensors = wide ? u64le(h, 8) : u32le(h, 8);
  const kvs = wide ? u64le(h, 16) : u32le(h, 12);
  if (tensors === undefined || kvs === undefined || tensors > MAX_COUNT || kvs > MAX_COUNT) return undefined;
  if (tensors === 0 && kvs === 0) return undefined;
  // The first key: a length (u64 from v2), ASCII bytes, then a value type 0-12.
  let at = wide ? 24 : 16;
  let firstKey: string | undefined;
  let architecture: string | undefined;
  if (kvs > 0) {
    const klen = wide ? u64le(h, at) : u32le(h, at);
    at += wide ? 8 : 4;
    if (klen === undefined || klen === 0 || klen > 256 || at + klen + 4 > size) return undefined;
    if (at + klen + 4 <= h.length) {
      firstKey = ascii(h, at, at + klen);
      if (!/^[\x21-\x7e]+$/.test(firstKey)) return undefined;
      const type = u32le(h, at + klen)!;
      if (type > 12) return undefined;
      const vlen = wide ? u64le(h, at + klen + 4) : u32le(h, at + klen + 4);
      const vat = at + klen + 4 + (wide ? 8 : 4);
      if (
        firstKey === 'general.architecture' &&
        type === 8 &&
        vlen !== undefined &&
        vlen <= 64 &&
        vat + vlen <= h.length
      ) {
        const s = ascii(h, vat, vat + vlen);
        if (/^[\x21-\x7e]+$/.test(s)) architecture = s;
      }
    }
  }
  return plain('analysable', {
    ...GGUF,
    confidence: firstKey ? 0.97 : 0.9,
    code: 'GGUF_HEADER',
    message: `GGUF magic, version ${version}, ${tensors} tensor(s) and ${kvs} metadata key(s)${architecture ? `, architecture "${architecture}"` : firstKey ? `, first key "${firstKey}"` : ''}: a llama.cpp/ggml model, which the gguf package and llama.cpp read.`,
    figures: { version, tensors, metadataKeys: kvs, ...(architecture ? { architecture } : {}) },
  });
}

/** The magics of the GGML family before GGUF (a u32 written little-endian), and the versions each had. */
const GGML_MAGICS: Record<string, { name: string; versions?: readonly number[] }> = {
  lmgg: { name: 'ggml (unversioned)' },
  fmgg: { name: 'ggmf', versions: [1] },
  tjgg: { name: 'ggjt', versions: [1, 2, 3] },
  algg: { name: 'ggla (LoRA adapter)', versions: [1] },
};

function ggml(h: Uint8Array, size: number): Detection | undefined {
  const magic = GGML_MAGICS[ascii(h, 0, 4)];
  if (!magic) return undefined;
  let at = 4;
  let version: number | undefined;
  if (magic.versions) {
    version = u32le(h, 4);
    if (version === undefined || !magic.versions.includes(version)) return undefined;
    at = 8;
  }
  // Hyperparameters: LoRA adapters have two (rank, alpha), the models seven or more positive int32s
  // (llama: n_vocab n_embd n_mult n_head n_layer n_rot ftype; whisper: n_vocab n_audio_ctx ...).
  const n = magic.name.startsWith('ggla') ? 2 : 5;
  const params: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = u32le(h, at + 4 * i);
    if (v === undefined || v === 0 || v > MAX_COUNT) return undefined;
    params.push(v);
  }
  if (at + 4 * n > size) return undefined;
  return plain('analysable', {
    ...GGML,
    confidence: 0.9,
    code: 'GGML_HEADER',
    message: `${magic.name} magic${version !== undefined ? `, version ${version}` : ''} and positive hyperparameters (${params.join(', ')}): a GGML-era model file, which llama.cpp's GGML-to-GGUF converter and whisper.cpp read.`,
    figures: { magic: magic.name, ...(version !== undefined ? { version } : {}) },
  });
}

interface TensorEntry {
  dtype?: unknown;
  shape?: unknown;
  data_offsets?: unknown;
}

/** safetensors: the header size, then JSON naming each tensor's dtype, shape and byte range. */
function safetensors(h: Uint8Array, size: number, complete: boolean): Detection | undefined {
  const n = u64le(h, 0);
  if (n === undefined || n < 2 || n > MAX_SAFETENSORS_HEADER || 8 + n > size || h[8] !== 0x7b) return undefined;
  if (8 + n > h.length) {
    // A header longer than the probe: its start must read as the table's first entry.
    const start = ascii(h, 8, Math.min(h.length, 8 + 256));
    if (!/^\{\s*"(__metadata__|[^"\\]{1,200})"\s*:\s*\{\s*"(dtype|shape|data_offsets|[^"\\]{1,100})"/.test(start))
      return undefined;
    return plain('analysable', {
      ...SAFETENSORS,
      confidence: 0.9,
      code: 'SAFETENSORS_HEADER',
      message: `A ${n}-byte header that fits the file and starts a JSON table of tensors: a safetensors file (the safetensors package reads it).`,
      figures: { headerBytes: n },
    });
  }
  let table: Record<string, TensorEntry>;
  try {
    // The writer pads the JSON with spaces to an 8-byte boundary.
    const parsed: unknown = JSON.parse(Buffer.from(h.subarray(8, 8 + n)).toString('utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    table = parsed as Record<string, TensorEntry>;
  } catch {
    return undefined;
  }
  let tensors = 0;
  let end = 0;
  const dtypes = new Set<string>();
  for (const [name, t] of Object.entries(table)) {
    if (name === '__metadata__') continue;
    const off = t?.data_offsets;
    if (typeof t?.dtype !== 'string' || !Array.isArray(t.shape) || !Array.isArray(off) || off.length !== 2)
      return undefined;
    const [a, b] = off as unknown[];
    if (typeof a !== 'number' || typeof b !== 'number' || a < 0 || b < a) return undefined;
    tensors++;
    end = Math.max(end, b);
    dtypes.add(t.dtype);
  }
  if (tensors === 0 && !('__metadata__' in table)) return undefined;
  const body = size - 8 - n;
  // The data must hold every tensor; only a complete probe shows whether it ends there exactly.
  if (end > body) return undefined;
  const exact = end === body;
  return plain('analysable', {
    ...SAFETENSORS,
    confidence: 0.97,
    code: 'SAFETENSORS_HEADER',
    message: `A ${n}-byte JSON header naming ${tensors} tensor(s) (${[...dtypes].sort().join(', ') || 'none'})${exact ? ' whose byte ranges end where the file does' : complete ? `, the file ${body - end} bytes longer than they are` : ' within the file'}: a safetensors file (the safetensors package reads it).`,
    figures: { headerBytes: n, tensors, dtypes: [...dtypes].sort().join(','), exactEnd: exact },
  });
}

/** MILBlob's element types (BlobDataType.hpp: Float16 = 1 … Float8E5M2 = 17). */
const MIL_DTYPES = 17;
/** MILBlob aligns its header, every metadata record and every blob to 64 bytes. */
const MIL_ALIGN = 64;

/**
 * Core ML's weight file (iOS 15 on: `weights/weight.bin` in an `.mlmodelc` or `.mlpackage`): a 64-byte header
 * (blob count, version 2, zero padding), then per blob a 64-byte metadata record (sentinel 0xDEADBEEF, data type,
 * size, offset of the data) and the data. Raw tensors whose names and shapes only the model's `model.mil` gives:
 * opaque, named.
 */
function milBlob(h: Uint8Array, size: number): Detection | undefined {
  const count = u32le(h, 0);
  if (count === undefined || count < 1 || count > MAX_COUNT || u32le(h, 4) !== 2) return undefined;
  for (let i = 8; i < MIL_ALIGN; i++) if (h[i] !== 0) return undefined;
  if (u32le(h, 64) !== 0xdeadbeef) return undefined;
  const dtype = u32le(h, 68)!;
  const bytes = u64le(h, 72);
  const offset = u64le(h, 80);
  if (dtype < 1 || dtype > MIL_DTYPES || bytes === undefined || offset === undefined) return undefined;
  if (offset < 2 * MIL_ALIGN || offset % MIL_ALIGN !== 0 || offset + bytes > size) return undefined;
  return plain('opaque', {
    ...MIL_BLOB,
    confidence: 0.93,
    code: 'MIL_BLOB_HEADER',
    message: `A MILBlob storage header (${count} blob(s), version 2) and a first metadata record with the 0xDEADBEEF sentinel, data type ${dtype} and ${bytes} bytes at offset ${offset} within the file: a Core ML weight file, raw tensors that only the model's model.mil describes (opaque, not encrypted).`,
    figures: { blobs: count, firstDataType: dtype, firstBlobBytes: bytes },
  });
}

/** torch.save before 1.6: the magic number pickle, then the protocol version 1001 pickle. */
function torchLegacy(h: Uint8Array): Detection | undefined {
  if (Buffer.from(h.subarray(0, 15)).toString('hex') !== TORCH_MAGIC) return undefined;
  // PROTO 2, BININT2 1001 (0x03e9), STOP.
  if (Buffer.from(h.subarray(15, 21)).toString('hex') !== '80024de9032e') return undefined;
  return plain('analysable', {
    ...TORCH_LEGACY,
    confidence: 0.97,
    code: 'TORCH_LEGACY_MAGIC',
    message:
      'The pickled magic number 0x1950a86a20f9469cfc6c and protocol version 1001: a PyTorch file written by torch.save before 1.6 (pickles, then raw tensor storage; torch.load reads it, pickletools lists its pickles).',
    figures: { protocolVersion: 1001 },
  });
}

export const mlModelsDetector = defineDetector({
  meta: {
    id: 'ml-models',
    version: '1.0.0',
    title: 'Machine-learning model files: TensorFlow Lite, GGUF/GGML, safetensors, legacy PyTorch, Core ML weights',
    formats: [
      {
        ...TFLITE,
        status: 'analysable',
        how: 'header-field',
        mime: 'application/x-tflite',
        extensions: ['tflite', 'lite', 'tfl'],
      },
      { ...GGUF, status: 'analysable', how: 'header-field', extensions: ['gguf'] },
      { ...GGML, status: 'analysable', how: 'header-field', extensions: ['bin', 'ggml', 'ggjt'] },
      { ...SAFETENSORS, status: 'analysable', how: 'structure', extensions: ['safetensors'] },
      { ...MIL_BLOB, status: 'opaque', how: 'header-field', extensions: ['bin'] },
      {
        ...TORCH_LEGACY,
        status: 'analysable',
        how: 'signature',
        extensions: ['pt', 'pth', 'pkl', 'bin', 'ckpt', 't7'],
      },
    ],
  },
  signatures: [
    { offset: 4, ascii: 'TFL3' },
    { offset: 0, ascii: 'GGUF' },
    ...Object.keys(GGML_MAGICS).map((m) => ({ offset: 0, ascii: m })),
    { offset: 8, ascii: '{' },
    { offset: 0, hex: TORCH_MAGIC },
    { offset: 64, hex: 'efbeadde' },
  ],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[4] === 0x54 && ascii(h, 4, 8) === 'TFL3') return tflite(h, probe.size);
    const magic = ascii(h, 0, 4);
    if (magic === 'GGUF') return gguf(h, probe.size);
    if (magic in GGML_MAGICS) return ggml(h, probe.size);
    if (h[0] === 0x80) return torchLegacy(h);
    if (h[8] === 0x7b) return safetensors(h, probe.size, probe.complete);
    return milBlob(h, probe.size);
  },
});
