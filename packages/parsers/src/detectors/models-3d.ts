/**
 * 3D model and scene files that Blender, assimp (its viewer and every engine built on it), MeshLab and
 * the authoring tools open: readable, analysable. Each is named by its magic and a header field that must
 * agree with the file (a length that is the file's size, a version the format defines, a chunk type), so
 * a short magic alone never decides. Without this, the binary ones were "no signature, opaque" (binary STL,
 * 3DS as assimp writes it, MilkShape, Half-Life models, DirectX .x), LightWave's IFF objects were named AIFF
 * audio by their FORM header, a glTF 1.0 binary holding a JPEG was taken for an obfuscated JPEG, and the
 * zlib- or MSZIP-compressed bodies of Model 3D and compressed DirectX files were "compressed, opaque".
 * References: assimp's importers (code/AssetLib/*), which read each layout below: 3DS chunk 0x4D4D
 * (3DSLoader), STL binary (80-byte header, triangle count, 50 bytes a triangle), glTF 2.0 §4.4 GLB header
 * and glTF 1.0 KHR_binary_glTF, IFF-85 FORM with LWOB/LWO2/LXOB (LWOLoader), MS3D "MS3D000000" version 3-4,
 * Half-Life studiohdr_t ("IDST" version 10, its length field) and sequence groups ("IDSQ"), Inter-Quake Model
 * (iqm.txt: "INTERQUAKEMODEL\0", version, file size), Quick3D ("quick3Do"/"quick3Ds" and a version), Terragen
 * ("TERRAGENTERRAIN "), Model 3D "3DMO" + file size (m3d.h), Caligari "Caligari V00.01" + A/B, DirectX
 * "xof " + version + txt/bin/tzip/bzip + float size (XFileParser), assimp's own binary dump.
 */
import { defineDetector, startsWith, u16le, u32be, u32le, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

interface Model {
  id: string;
  name: string;
  extensions: string[];
  mime?: string;
}

const MODELS = {
  glb: { id: 'glb', name: 'glTF binary model (GLB)', extensions: ['glb'], mime: 'model/gltf-binary' },
  '3ds': { id: '3ds', name: '3D Studio model (3DS)', extensions: ['3ds', 'prj'], mime: 'image/x-3ds' },
  stl: { id: 'stl', name: 'STL model (binary)', extensions: ['stl'], mime: 'model/stl' },
  lwo: { id: 'lwo', name: 'LightWave 3D object (IFF)', extensions: ['lwo', 'lws'] },
  lxo: { id: 'lxo', name: 'modo scene (IFF LXOB)', extensions: ['lxo'] },
  ms3d: { id: 'ms3d', name: 'MilkShape 3D model', extensions: ['ms3d'] },
  hl1: { id: 'halflife-mdl', name: 'Half-Life model (MDL)', extensions: ['mdl'] },
  m3d: { id: 'm3d', name: 'Model 3D (M3D)', extensions: ['m3d'] },
  cob: { id: 'cob', name: 'Caligari trueSpace object', extensions: ['cob', 'scn'] },
  x: { id: 'directx-x', name: 'DirectX model (.x)', extensions: ['x'] },
  assbin: { id: 'assbin', name: 'assimp binary scene dump', extensions: ['assbin'] },
  iqm: { id: 'iqm', name: 'Inter-Quake Model (IQM)', extensions: ['iqm'] },
  q3d: { id: 'quick3d', name: 'Quick3D object or scene', extensions: ['q3o', 'q3s'] },
  ter: { id: 'ter', name: 'Terragen terrain', extensions: ['ter'] },
} satisfies Record<string, Model>;

type Found = { model: Model; code: string; message: string; figures?: Record<string, string | number> };

/**
 * The GLB header (glTF 2.0 §4.4.3; KHR_binary_glTF for 1.0): magic, version 1 or 2, total length, then the JSON
 * scene first (2.0: a chunk of type "JSON"; 1.0: contentFormat 0), 13 fixed bytes in all. A length that is not the
 * file's size is reported: assimp's own test glTF 1.0 file is 33 bytes shorter than its header says.
 */
function glb(h: Uint8Array, size: number): Found | undefined {
  const version = u32le(h, 4);
  const length = u32le(h, 8);
  if (length === undefined || (version !== 1 && version !== 2)) return undefined;
  const first = version === 2 ? ascii(h, 16, 20) === 'JSON' && h[20] === 0x7b : u32le(h, 16) === 0 && h[20] === 0x7b;
  if (!first) return undefined;
  const fits =
    length === size
      ? `its length is the file's ${size} bytes`
      : `its length says ${length} bytes, the file has ${size}`;
  return {
    model: MODELS.glb,
    code: 'GLB_HEADER',
    message: `glTF ${version}.0 binary header: ${fits}, and the JSON scene comes first.`,
    figures: { version, headerLength: length },
  };
}

/** 3DS primary chunk 0x4D4D: its length is the file's and its first sub-chunk is a version, editor or keyframer chunk. */
function threeDs(h: Uint8Array, size: number): Found | undefined {
  const len = u32le(h, 2);
  const sub = u16le(h, 6);
  const subLen = u32le(h, 8);
  if (len !== size || sub === undefined || subLen === undefined) return undefined;
  if (![0x0002, 0x3d3d, 0xb000].includes(sub) || subLen < 6 || subLen > size - 6) return undefined;
  return {
    model: MODELS['3ds'],
    code: 'THREE_DS_CHUNKS',
    message: `3DS main chunk 0x4D4D spanning the file's ${size} bytes, then chunk 0x${sub.toString(16).toUpperCase().padStart(4, '0')} inside it.`,
  };
}

/** Binary STL: 80 header bytes, a triangle count, 50 bytes a triangle; the count must give the file's size. */
function stl(h: Uint8Array, size: number): Found | undefined {
  const n = u32le(h, 80);
  if (n === undefined || n === 0 || 84 + 50 * n !== size) return undefined;
  // The first triangle's normal and vertices are 12 IEEE floats: none NaN or infinite.
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  for (let i = 0; i < 12 && 84 + 4 * i + 4 <= h.length; i++)
    if (!Number.isFinite(view.getFloat32(84 + 4 * i, true))) return undefined;
  return {
    model: MODELS.stl,
    code: 'STL_TRIANGLE_COUNT',
    message: `Binary STL: the header counts ${n} triangles of 50 bytes, exactly the file's ${size} bytes.`,
    figures: { triangles: n },
  };
}

/** IFF-85 FORM whose type is a LightWave or modo object; the FORM length fits the file. */
function iff(h: Uint8Array, size: number): Found | undefined {
  const len = u32be(h, 4);
  const type = ascii(h, 8, 12);
  if (len === undefined || len + 8 > size || len < 4) return undefined;
  const model = type === 'LXOB' ? MODELS.lxo : ['LWOB', 'LWO2', 'LWO3', 'LWLO'].includes(type) ? MODELS.lwo : undefined;
  // The first chunk id is four printable characters.
  if (!model || !/^[A-Z0-9 ]{4}$/.test(ascii(h, 12, 16))) return undefined;
  return {
    model,
    code: 'IFF_MODEL_FORM',
    message: `IFF FORM of type ${type} (${model.name}), ${len + 8} of the file's ${size} bytes.`,
  };
}

function byMagic(h: Uint8Array, size: number): Found | undefined {
  if (startsWith(h, 'MS3D000000')) {
    const v = u32le(h, 10);
    return v === 3 || v === 4
      ? { model: MODELS.ms3d, code: 'MS3D_HEADER', message: `MilkShape 3D header "MS3D000000", version ${v}.` }
      : undefined;
  }
  if (startsWith(h, 'IDST') || startsWith(h, 'IDSQ')) {
    // studiohdr_t: id, version 10, name[64], length; a sequence group (IDSQ) has only id, version and name.
    const studio = startsWith(h, 'IDST');
    if (u32le(h, 4) !== 10 || (studio && u32le(h, 72) !== size)) return undefined;
    return {
      model: MODELS.hl1,
      code: 'HL1_MDL_HEADER',
      message: studio
        ? `Half-Life studio model header "IDST" version 10, its length field the file's ${size} bytes.`
        : 'Half-Life sequence-group file "IDSQ" version 10 (animations of a studio model).',
    };
  }
  if (startsWith(h, '3DMO') && u32le(h, 4) === size && (h[8]! & 0x8f) === 0x08) {
    return {
      model: MODELS.m3d,
      code: 'M3D_HEADER',
      message: `Model 3D header "3DMO" with the file's ${size} bytes, then its zlib-compressed chunks: compressed by design.`,
    };
  }
  const text = ascii(h, 0, 32);
  const cob = /^Caligari V(\d\d\.\d\d)([AB])/.exec(text);
  if (cob) {
    return {
      model: MODELS.cob,
      code: 'CALIGARI_HEADER',
      message: `Caligari trueSpace header, version ${cob[1]}, ${cob[2] === 'B' ? 'binary' : 'ASCII'} body.`,
    };
  }
  const x = /^xof (\d{4})(txt |bin |tzip|bzip)(0032|0064)/.exec(text);
  if (x) {
    const kind = x[2] as 'txt ' | 'bin ' | 'tzip' | 'bzip';
    const body = { 'txt ': 'text', 'bin ': 'binary', tzip: 'MSZIP-compressed text', bzip: 'MSZIP-compressed binary' }[
      kind
    ];
    return {
      model: MODELS.x,
      code: 'DIRECTX_X_HEADER',
      message: `DirectX .x header "xof ${x[1]}", ${body} body, ${x[3]}-bit floats${kind.endsWith('zip') ? ': compressed by design' : ''}.`,
      figures: { body },
    };
  }
  // Long magic (16, 16 and 8 bytes plus a version), so a file cut short is still named; IQM's size field is reported.
  if (startsWith(h, 'INTERQUAKEMODEL\0')) {
    const version = u32le(h, 16);
    const fileSize = u32le(h, 20);
    if (version !== 1 && version !== 2) return undefined;
    const fits =
      fileSize === size
        ? `its size field the file's ${size} bytes`
        : `its size field says ${fileSize} bytes, the file has ${size}`;
    return {
      model: MODELS.iqm,
      code: 'IQM_HEADER',
      message: `IQM header "INTERQUAKEMODEL" version ${version}, ${fits}.`,
    };
  }
  if (startsWith(h, 'TERRAGENTERRAIN ')) {
    return { model: MODELS.ter, code: 'TERRAGEN_HEADER', message: 'Terragen terrain header "TERRAGENTERRAIN ".' };
  }
  const q3d = /^quick3D([os])(\d\d)/.exec(text);
  if (q3d) {
    return {
      model: MODELS.q3d,
      code: 'QUICK3D_HEADER',
      message: `Quick3D header "quick3D${q3d[1]}", version ${q3d[2]}.`,
    };
  }
  if (startsWith(h, 'ASSIMP.binary-dump.')) {
    return {
      model: MODELS.assbin,
      code: 'ASSBIN_HEADER',
      message: 'assimp binary scene dump header ("ASSIMP.binary-dump.").',
    };
  }
  return undefined;
}

function identify(h: Uint8Array, size: number): Found | undefined {
  const byPrefix = startsWith(h, 'glTF')
    ? glb(h, size)
    : h[0] === 0x4d && h[1] === 0x4d
      ? threeDs(h, size)
      : startsWith(h, 'FORM')
        ? iff(h, size)
        : byMagic(h, size);
  // A binary STL's 80-byte header is free text, so it may begin like any of the above.
  return byPrefix ?? stl(h, size);
}

export const models3dDetector = defineDetector({
  meta: {
    id: 'models-3d',
    version: '1.0.0',
    title: '3D model and scene files (glTF binary, 3DS, STL, LightWave, MilkShape, Half-Life, DirectX …)',
    formats: Object.values(MODELS).map((m: Model) => ({
      id: m.id,
      name: m.name,
      status: 'analysable' as const,
      how: 'signature' as const,
      extensions: m.extensions,
      ...(m.mime ? { mime: m.mime } : {}),
    })),
  },
  // Binary STL has no magic (its triangle count decides), so no signature list: every check is a few byte reads.
  minSize: 20,
  priority: 30,
  detect(probe): Detection | undefined {
    const found = identify(probe.head, probe.size);
    if (!found) return undefined;
    const { model, code, message, figures } = found;
    return plain('analysable', {
      id: model.id,
      name: model.name,
      ...(model.mime ? { mime: model.mime } : {}),
      confidence: 0.95,
      code,
      message: `${message} A 3D model that Blender, assimp and its viewers open: readable.`,
      ...(figures ? { figures } : {}),
    });
  },
});
