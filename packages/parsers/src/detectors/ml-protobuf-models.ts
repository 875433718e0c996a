/**
 * Model files that are Protocol Buffers messages of a published schema:
 * ONNX models (`ModelProto`), TensorFlow SavedModels (`saved_model.pb`,
 * `SavedModel`), SentencePiece tokenizer models (`ModelProto` of
 * sentencepiece_model.proto), frozen TensorFlow graphs (`GraphDef` of
 * graph.proto), Core ML models (`.mlmodel`, `Model` of
 * Model.proto) and ONNX tensors (`TensorProto`, the `.pb` files of ONNX test
 * sets). Schema-less protobuf is opaque (the protobuf detector); these
 * schemas are public and general tools open the files (onnx, Netron,
 * TensorFlow, sentencepiece, coremltools): analysable, named. Their weights
 * sit in large length-delimited fields and look random to the statistics.
 * Each check walks the top-level fields the head holds: every field number
 * must be one the schema defines, with its wire type, and the lengths must fit
 * the file; the field a model cannot lack (ONNX's graph, SavedModel's meta
 * graph, SentencePiece's pieces, Core ML's model type) must be there.
 * References: onnx/onnx.proto (ModelProto fields 1-8, 14, 20, 25, 26;
 * GraphProto), tensorflow/core/protobuf/saved_model.proto and
 * meta_graph.proto, google/sentencepiece src/sentencepiece_model.proto,
 * apple/coremltools mlmodel/format/Model.proto; protobuf.dev "Encoding".
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, varint } from './util.js';

const ONNX = { id: 'onnx', name: 'ONNX model (protobuf ModelProto)' } as const;
const SAVED_MODEL = { id: 'tensorflow-saved-model', name: 'TensorFlow SavedModel graph (saved_model.pb)' } as const;
const SENTENCEPIECE = { id: 'sentencepiece-model', name: 'SentencePiece tokenizer model (protobuf)' } as const;
const COREML = { id: 'coreml-model', name: 'Core ML model specification (.mlmodel, protobuf)' } as const;
const GRAPH_DEF = { id: 'tensorflow-graph', name: 'TensorFlow graph (GraphDef protobuf, frozen .pb)' } as const;
const ONNX_TENSOR = { id: 'onnx-tensor', name: 'ONNX tensor (protobuf TensorProto, .pb)' } as const;

interface Field {
  field: number;
  wire: number;
  value: number;
  /** Where a length-delimited field's bytes start. */
  start: number;
}

/**
 * Top-level fields of the message from offset 0. A length-delimited field may run past the head when it
 * fits the file (`cut` then says so, and the walk stops there). Undefined on any invalid key or length.
 */
function topFields(h: Uint8Array, size: number, max = 64): { fields: Field[]; cut: boolean } | undefined {
  const fields: Field[] = [];
  const end = Math.min(h.length, size);
  let at = 0;
  while (at < end) {
    if (fields.length >= max) return { fields, cut: true };
    const key = varint(h, at);
    if (!key) return at > 0 && end < size ? { fields, cut: true } : undefined;
    const [k, next] = key;
    const field = Math.floor(k / 8);
    const wire = k % 8;
    if (field === 0) return undefined;
    at = next;
    if (wire === 0) {
      const v = varint(h, at);
      if (!v) return end < size ? { fields, cut: true } : undefined;
      fields.push({ field, wire, value: v[0], start: at });
      at = v[1];
    } else if (wire === 2) {
      const len = varint(h, at);
      if (!len || len[1] + len[0] > size) return undefined;
      fields.push({ field, wire, value: len[0], start: len[1] });
      at = len[1] + len[0];
      if (at > end) return { fields, cut: true };
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
      if (at > size) return undefined;
      fields.push({ field, wire, value: 0, start: at });
    } else return undefined;
  }
  return at === size ? { fields, cut: false } : end < size ? { fields, cut: true } : undefined;
}

/** Every field is one the schema lists, with the wire type it gives. */
function conforms(fields: readonly Field[], schema: Readonly<Record<number, number>>): boolean {
  return fields.every((f) => schema[f.field] === f.wire);
}

function printable(h: Uint8Array, f: Field | undefined, max = 200): string | undefined {
  if (!f || f.wire !== 2 || f.value > max || f.start + f.value > h.length) return undefined;
  const s = Buffer.from(h.subarray(f.start, f.start + f.value)).toString('utf8');
  return /^[\x20-\x7e]*$/.test(s) ? s : undefined;
}

/** ModelProto: ir_version 1, producer_name 2, producer_version 3, domain 4, model_version 5, doc_string 6, graph 7, opset_import 8, … */
const ONNX_SCHEMA: Record<number, number> = {
  1: 0,
  2: 2,
  3: 2,
  4: 2,
  5: 0,
  6: 2,
  7: 2,
  8: 2,
  14: 2,
  20: 2,
  25: 2,
  26: 2,
};
/** GraphProto fields: node 1, name 2, initializer 5, doc_string 10, input 11, output 12, value_info 13, … */
const ONNX_GRAPH_FIELDS = new Set([1, 2, 5, 10, 11, 12, 13, 14, 15, 16]);

function onnx(h: Uint8Array, size: number): Detection | undefined {
  const walk = topFields(h, size);
  if (!walk || !conforms(walk.fields, ONNX_SCHEMA)) return undefined;
  const ir = walk.fields[0];
  // onnx writes ir_version first; IR 3 came with ONNX 1.0, IR 11 with 1.17.
  if (!ir || ir.field !== 1 || ir.value < 3 || ir.value > 32) return undefined;
  const graph = walk.fields.find((f) => f.field === 7);
  if (!graph || graph.value < 2) return undefined;
  const first = varint(h, graph.start);
  if (first && (first[0] % 8 !== 2 || !ONNX_GRAPH_FIELDS.has(Math.floor(first[0] / 8)))) return undefined;
  const producerField = walk.fields.find((f) => f.field === 2);
  const producer = printable(h, producerField);
  if (producerField && producer === undefined && producerField.start + producerField.value <= h.length)
    return undefined;
  const producerVersion = printable(
    h,
    walk.fields.find((f) => f.field === 3),
  );
  // A whole model names the operator sets it uses (OperatorSetIdProto: domain 1, version 2); a model larger
  // than the probe, whose imports follow the graph, must name its producer, as every exporter does.
  const opset = walk.fields.find((f) => f.field === 8);
  if (!walk.cut) {
    if (!opset) return undefined;
    const inner = topFields(h.subarray(opset.start, opset.start + opset.value), opset.value);
    if (!inner || inner.cut || !conforms(inner.fields, { 1: 2, 2: 0 }) || !inner.fields.some((f) => f.field === 2))
      return undefined;
  } else if (!producer) return undefined;
  return plain('analysable', {
    ...ONNX,
    confidence: 0.95,
    code: 'ONNX_MODEL_PROTO',
    message: `An ONNX ModelProto: IR version ${ir.value}${producer ? `, produced by "${producer}${producerVersion ? ` ${producerVersion}` : ''}"` : ''}, a graph of ${graph.value} bytes${walk.cut ? '' : ' and its operator-set imports, the whole file parsed'}: readable with onnx or Netron.`,
    figures: { irVersion: ir.value, graphBytes: graph.value, ...(producer ? { producer } : {}) },
  });
}

/** TensorProto element sizes in bytes by data_type (onnx.proto TensorProto.DataType); 0.5 for packed 4-bit types. */
const ONNX_ELEMENT_BYTES: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  14: 8,
  15: 16,
  16: 2,
  17: 1,
  18: 1,
  19: 1,
  20: 1,
  21: 0.5,
  22: 0.5,
  23: 0.5,
  24: 1,
};
/** TensorProto: dims 1, data_type 2, segment 3, float_data 4, int32_data 5, string_data 6, int64_data 7, name 8, raw_data 9, double_data 10, uint64_data 11, doc_string 12, external_data 13, data_location 14 (proto2: dims unpacked, the numeric data packed). */
const TENSOR_SCHEMA: Record<number, number> = {
  1: 0,
  2: 0,
  3: 2,
  4: 2,
  5: 2,
  6: 2,
  7: 2,
  8: 2,
  9: 2,
  10: 2,
  11: 2,
  12: 2,
  13: 2,
  14: 0,
};

/**
 * A standalone ONNX TensorProto (the `input_0.pb` / `output_0.pb` of ONNX test sets and model zoos). Two
 * varints and a length would fit many messages: the data must hold exactly as many bytes as the dims and the
 * element type say (raw_data, or packed float/double data).
 */
function onnxTensor(h: Uint8Array, size: number): Detection | undefined {
  const walk = topFields(h, size, 4096);
  if (!walk || !conforms(walk.fields, TENSOR_SCHEMA)) return undefined;
  const types = walk.fields.filter((f) => f.field === 2);
  const dims = walk.fields.filter((f) => f.field === 1);
  const data = walk.fields.filter((f) => [4, 9, 10].includes(f.field));
  const elem = types.length === 1 ? ONNX_ELEMENT_BYTES[types[0]!.value] : undefined;
  if (elem === undefined || data.length !== 1 || dims.length > 16) return undefined;
  // Cut heads: only a raw_data field that ends the file may run past the probe.
  const last = walk.fields[walk.fields.length - 1]!;
  if (walk.cut && !(last === data[0] && last.start + last.value === size)) return undefined;
  const elements = dims.reduce((n, d) => n * d.value, 1);
  const d = data[0]!;
  const bytes = d.field === 9 ? Math.ceil(elements * elem) : elements * (d.field === 4 ? 4 : 8);
  if (d.value !== bytes || (d.field === 4 && ![1, 14].includes(types[0]!.value))) return undefined;
  const name = printable(
    h,
    walk.fields.find((f) => f.field === 8),
  );
  return plain('analysable', {
    ...ONNX_TENSOR,
    confidence: 0.9,
    code: 'ONNX_TENSOR_PROTO',
    message: `An ONNX TensorProto${name ? ` "${name}"` : ''}: data type ${types[0]!.value}, dims [${dims.map((x) => x.value).join(', ')}], and ${d.value} bytes of ${d.field === 9 ? 'raw data' : 'packed values'}, exactly what they need: readable with onnx.numpy_helper.`,
    figures: { dataType: types[0]!.value, elements, dataBytes: d.value },
  });
}

/**
 * A TensorFlow GraphDef (frozen graphs, `.pb` in apps built on TensorFlow Mobile): nodes (1), library (2),
 * version (3, deprecated), versions (4). Each NodeDef names itself (1) and its op (2); ops are CamelCase
 * identifiers (Placeholder, Const, MatMul). The first nodes the head holds must read so.
 */
function graphDef(h: Uint8Array, size: number): Detection | undefined {
  const walk = topFields(h, size, 4096);
  if (!walk || !conforms(walk.fields, { 1: 2, 2: 2, 3: 0, 4: 2 }) || walk.fields[0]?.field !== 1) return undefined;
  const nodes = walk.fields.filter((f) => f.field === 1);
  const ops = new Set<string>();
  let checked = 0;
  for (const n of nodes.slice(0, 8)) {
    if (n.start + n.value > h.length) break;
    const inner = topFields(h.subarray(n.start, n.start + n.value), n.value, 1024);
    if (!inner || inner.cut || !conforms(inner.fields, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2 })) return undefined;
    const [name, op] = inner.fields;
    const opName = printable(h.subarray(n.start), op, 64);
    if (name?.field !== 1 || op?.field !== 2 || !printable(h.subarray(n.start), name, 512)) return undefined;
    if (!opName || !/^_?[A-Z][A-Za-z0-9]*$/.test(opName)) return undefined;
    ops.add(opName);
    checked++;
  }
  if (checked < Math.min(2, nodes.length) || checked === 0) return undefined;
  if (!walk.cut && !walk.fields.some((f) => f.field === 4)) return undefined;
  const list = [...ops].slice(0, 4).join(', ');
  return plain('analysable', {
    ...GRAPH_DEF,
    confidence: 0.92,
    code: 'TF_GRAPHDEF_PROTO',
    message: `A TensorFlow GraphDef: ${walk.cut ? 'its first ' : ''}${nodes.length} node(s), each a name and a TensorFlow op (${list})${walk.cut ? '' : ' and the graph versions, the whole file parsed'}: a frozen graph that TensorFlow and Netron read.`,
    figures: { nodes: nodes.length, ops: list, complete: !walk.cut },
  });
}

/** SavedModel: saved_model_schema_version 1 (= 1), meta_graphs 2 (MetaGraphDef, whose meta_info_def is field 1). */
function savedModel(h: Uint8Array, size: number, name: string): Detection | undefined {
  if (h[0] !== 0x08 || h[1] !== 0x01 || h[2] !== 0x12) return undefined;
  const walk = topFields(h, size);
  if (!walk || !conforms(walk.fields, { 1: 0, 2: 2 }) || walk.fields.filter((f) => f.field === 1).length !== 1)
    return undefined;
  const meta = walk.fields[1];
  // MetaGraphDef starts with meta_info_def (1) or graph_def (2), both messages.
  if (!meta || meta.field !== 2 || (h[meta.start] !== 0x0a && h[meta.start] !== 0x12)) return undefined;
  // Two bytes of version and a length are little to go on: the name TensorFlow gives the file, or its op names.
  const named = name === 'saved_model.pb';
  const text = ascii(h, 0, Math.min(h.length, 4096));
  if (!named && !/(VarHandleOp|StatefulPartitionedCall|serving_default|SaveV2|RestoreV2)/.test(text)) return undefined;
  return plain('analysable', {
    ...SAVED_MODEL,
    confidence: 0.92,
    code: 'SAVED_MODEL_PROTO',
    message: `A SavedModel message: schema version 1 and ${walk.fields.length - 1} meta graph(s)${walk.cut ? '' : ' (the whole file parsed)'}${named ? ', named saved_model.pb' : ', TensorFlow op names in it'}: a TensorFlow SavedModel's graph (tf.saved_model.load and saved_model_cli read it; weights are in variables/).`,
    figures: { metaGraphs: walk.fields.length - 1 },
  });
}

/**
 * SentencePiece ModelProto: pieces 1 (repeated SentencePiece{piece 1, score 2 float, type 3}), trainer_spec 2,
 * normalizer_spec 3, self_test_data 4, denormalizer_spec 5. The first pieces must read so.
 */
function sentencepiece(h: Uint8Array, size: number): Detection | undefined {
  const walk = topFields(h, size, 100_000);
  if (!walk || !conforms(walk.fields, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2 })) return undefined;
  const pieces = walk.fields.filter((f) => f.field === 1);
  if (pieces.length < Math.min(3, walk.fields.length) || walk.fields[0]!.field !== 1) return undefined;
  for (const p of pieces.slice(0, 8)) {
    if (p.start + p.value > h.length) break;
    const inner = topFields(h.subarray(p.start, p.start + p.value), p.value);
    if (!inner || inner.cut || !conforms(inner.fields, { 1: 2, 2: 5, 3: 0 })) return undefined;
    const piece = inner.fields.find((f) => f.field === 1);
    if (!piece || piece.value > 256) return undefined;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(
        h.subarray(p.start + piece.start, p.start + piece.start + piece.value),
      );
    } catch {
      return undefined;
    }
  }
  if (!walk.cut && !walk.fields.some((f) => f.field === 2)) return undefined;
  return plain('analysable', {
    ...SENTENCEPIECE,
    confidence: 0.93,
    code: 'SENTENCEPIECE_PROTO',
    message: `A SentencePiece ModelProto: ${walk.cut ? 'its first ' : ''}${pieces.length} vocabulary pieces (UTF-8 text, a float score, a type)${walk.cut ? '' : ' and a trainer spec, the whole file parsed'}: a tokenizer model the sentencepiece library reads.`,
    figures: { pieces: pieces.length, complete: !walk.cut },
  });
}

/** Core ML Model: specificationVersion 1, description 2, isUpdatable 10, then one model type (fields 200-3000). */
const COREML_TYPES: Record<number, string> = {
  200: 'pipelineClassifier',
  201: 'pipelineRegressor',
  202: 'pipeline',
  300: 'glmRegressor',
  301: 'supportVectorRegressor',
  302: 'treeEnsembleRegressor',
  303: 'neuralNetworkRegressor',
  304: 'bayesianProbitRegressor',
  400: 'glmClassifier',
  401: 'supportVectorClassifier',
  402: 'treeEnsembleClassifier',
  403: 'neuralNetworkClassifier',
  404: 'kNearestNeighborsClassifier',
  500: 'neuralNetwork',
  501: 'itemSimilarityRecommender',
  502: 'mlProgram',
  555: 'customModel',
  556: 'linkedModel',
  560: 'classConfidenceThresholding',
  600: 'oneHotEncoder',
  601: 'imputer',
  602: 'featureVectorizer',
  603: 'dictVectorizer',
  604: 'scaler',
  606: 'categoricalMapping',
  607: 'normalizer',
  609: 'arrayFeatureExtractor',
  610: 'nonMaximumSuppression',
  900: 'identity',
  2000: 'textClassifier',
  2001: 'wordTagger',
  2002: 'visionFeaturePrint',
  2003: 'soundAnalysisPreprocessing',
  2004: 'gazetteer',
  2005: 'wordEmbedding',
  2006: 'audioFeaturePrint',
  3000: 'serializedModel',
};

function coreml(h: Uint8Array, size: number, extension: string): Detection | undefined {
  const walk = topFields(h, size);
  if (!walk) return undefined;
  const schema: Record<number, number> = { 1: 0, 2: 2, 10: 0 };
  for (const k of Object.keys(COREML_TYPES)) schema[Number(k)] = 2;
  if (!conforms(walk.fields, schema)) return undefined;
  const [spec, description] = walk.fields;
  if (!spec || spec.field !== 1 || spec.value < 1 || spec.value > 20 || description?.field !== 2) return undefined;
  const types = walk.fields.filter((f) => COREML_TYPES[f.field]);
  // One model type. A description too long for the probe (the type lies past it) counts only under the
  // model's own extension: 08 xx 12 and a length is how many app messages begin.
  if (types.length > 1 || (types.length === 0 && !(walk.cut && walk.fields.length === 2 && extension === 'mlmodel')))
    return undefined;
  const type = types[0] ? COREML_TYPES[types[0].field]! : undefined;
  return plain('analysable', {
    ...COREML,
    confidence: type ? 0.93 : 0.85,
    code: 'COREML_MODEL_PROTO',
    message: `A Core ML Model message: specification version ${spec.value}, a model description${type ? `, and a ${type} model` : ' (the model type lies past the probe)'}: readable with coremltools.`,
    figures: { specificationVersion: spec.value, ...(type ? { modelType: type } : {}) },
  });
}

export const mlProtobufModelsDetector = defineDetector({
  meta: {
    id: 'ml-protobuf-models',
    version: '1.0.0',
    title:
      'Model files in a published protobuf schema: ONNX models and tensors, TensorFlow SavedModel, SentencePiece, Core ML',
    formats: [
      { ...ONNX, status: 'analysable', how: 'structure', extensions: ['onnx', 'ort'] },
      { ...SAVED_MODEL, status: 'analysable', how: 'structure', extensions: ['pb'] },
      { ...SENTENCEPIECE, status: 'analysable', how: 'structure', extensions: ['model', 'spm'] },
      { ...COREML, status: 'analysable', how: 'structure', extensions: ['mlmodel'] },
      { ...GRAPH_DEF, status: 'analysable', how: 'structure', extensions: ['pb'] },
      { ...ONNX_TENSOR, status: 'analysable', how: 'structure', extensions: ['pb', 'tensor'] },
    ],
  },
  // ir_version or specificationVersion (field 1, varint) first; SentencePiece's first piece (field 1, bytes).
  signatures: [
    { offset: 0, hex: '08' },
    { offset: 0, hex: '0a' },
    { offset: 0, hex: '10' },
  ],
  minSize: 8,
  priority: 40,
  detect(probe): Detection | undefined {
    const h = probe.head;
    if (h[0] === 0x0a) return sentencepiece(h, probe.size) ?? graphDef(h, probe.size);
    // A scalar tensor starts with its data_type (field 2).
    if (h[0] === 0x10) return onnxTensor(h, probe.size);
    if (h[0] !== 0x08) return undefined;
    // The second field tells them apart: ONNX's producer name (2, bytes) or graph, SavedModel's meta graph
    // (2, bytes, after version 1), Core ML's description (2, bytes).
    return (
      onnx(h, probe.size) ??
      savedModel(h, probe.size, probe.name) ??
      coreml(h, probe.size, probe.extension) ??
      onnxTensor(h, probe.size)
    );
  },
});
