/**
 * CAD and 3D exchange files that are text (or text-led), named by their first lines: AutoCAD DXF (ASCII and
 * binary), STEP (ISO 10303-21), VRML and PLY. They were "plain text" (or libmagic's guess), which says
 * nothing about what an examiner opens them with; CAD programs (LibreCAD, FreeCAD, AutoCAD) and mesh tools
 * (MeshLab, Blender, assimp) read them: analysable.
 * References: AutoCAD DXF Reference (group code 0 "SECTION", group 2 the section name: HEADER, CLASSES,
 * TABLES, BLOCKS, ENTITIES, OBJECTS, THUMBNAILIMAGE; 999 comments before it; binary DXF's 22-byte sentinel
 * "AutoCAD Binary DXF\r\n\x1a\0"), ISO 10303-21 §5 (the exchange structure opens with "ISO-10303-21;" and a
 * HEADER section), ISO/IEC 14772-1 (VRML97 "#VRML V2.0 utf8"; VRML 1.0 "#VRML V1.0 ascii"), the PLY format as
 * Greg Turk defined it ("ply", then, after any comment lines, "format ascii|binary_little_endian|binary_big_endian 1.0"; writers pad lines with spaces).
 */
import { defineDetector, startsWith, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const FORMATS = {
  dxf: { id: 'dxf', name: 'AutoCAD Drawing Exchange Format (DXF)', extensions: ['dxf'], mime: 'image/vnd.dxf' },
  step: {
    id: 'step',
    name: 'STEP exchange file (ISO 10303-21)',
    extensions: ['stp', 'step', 'p21'],
    mime: 'model/step',
  },
  vrml: { id: 'vrml', name: 'VRML world', extensions: ['wrl', 'vrml'], mime: 'model/vrml' },
  ply: { id: 'ply-model', name: 'PLY polygon model', extensions: ['ply'] },
} as const;

type Kind = keyof typeof FORMATS;
interface Found {
  kind: Kind;
  code: string;
  message: string;
}

const DXF_SECTIONS = /^(HEADER|CLASSES|TABLES|BLOCKS|ENTITIES|OBJECTS|THUMBNAILIMAGE)$/;
const BINARY_DXF = 'AutoCAD Binary DXF\r\n\x1a\0';

/** ASCII DXF: group/value line pairs; after any 999 comments, "0" SECTION then "2" and a section name. */
function dxf(text: string): Found | undefined {
  const lines = text.split(/\r?\n/, 64).map((l) => l.trim());
  let i = 0;
  while (lines[i] === '999' && i + 2 < lines.length) i += 2;
  if (lines[i] !== '0' || lines[i + 1] !== 'SECTION' || lines[i + 2] !== '2') return undefined;
  const section = lines[i + 3] ?? '';
  if (!DXF_SECTIONS.test(section)) return undefined;
  return {
    kind: 'dxf',
    code: 'DXF_SECTION',
    message: `DXF group codes: ${i ? 'comments, then ' : ''}0/SECTION and 2/${section}, as a DXF file opens.`,
  };
}

function identify(head: Uint8Array): Found | undefined {
  if (startsWith(head, BINARY_DXF))
    return { kind: 'dxf', code: 'DXF_BINARY_SENTINEL', message: 'Binary DXF sentinel "AutoCAD Binary DXF".' };
  const text = ascii(head, 0, 512);
  if (/^ISO-10303-21;\s*HEADER;/.test(text))
    return {
      kind: 'step',
      code: 'STEP_HEADER',
      message: 'ISO 10303-21 exchange structure: "ISO-10303-21;" then its HEADER section.',
    };
  const vrml = /^#VRML V(1\.0 ascii|2\.0 utf8)/.exec(text);
  if (vrml) return { kind: 'vrml', code: 'VRML_HEADER', message: `VRML header line "#VRML V${vrml[1]}".` };
  const ply =
    /^ply[ \t]*\r?\n(?:(?:comment|obj_info)\b[^\n]*\n)*format (ascii|binary_little_endian|binary_big_endian) 1\.0[ \t]*\r?\n/.exec(
      text,
    );
  if (ply) return { kind: 'ply', code: 'PLY_HEADER', message: `PLY header ("ply", format ${ply[1]} 1.0).` };
  // DXF writers pad group codes with spaces; the first line is a group code, so the file starts with a digit or space.
  return head[0] === 0x20 || head[0] === 0x30 || head[0] === 0x39 ? dxf(text) : undefined;
}

export const cadExchangeDetector = defineDetector({
  meta: {
    id: 'cad-exchange',
    version: '1.0.0',
    title: 'CAD and 3D exchange files in text (DXF, STEP, VRML, PLY)',
    formats: Object.values(FORMATS).map((f) => ({
      id: f.id,
      name: f.name,
      status: 'analysable' as const,
      how: 'signature' as const,
      extensions: [...f.extensions],
      ...('mime' in f ? { mime: f.mime } : {}),
    })),
  },
  // DXF's first line is a space-padded group code, so no fixed signature: the checks are a few character reads.
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const found = identify(probe.head);
    if (!found) return undefined;
    const f: { id: string; name: string; mime?: string } = FORMATS[found.kind];
    return plain('analysable', {
      id: f.id,
      name: f.name,
      ...(f.mime ? { mime: f.mime } : {}),
      confidence: 0.95,
      code: found.code,
      message: `${found.message} CAD and mesh tools read it: readable.`,
    });
  },
});
