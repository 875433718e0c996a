/**
 * Memory images and virtual machines' saved states, as incident-response
 * collections and computer extractions hold them:
 *
 * - LiME (`*.lime`, `*.mem`: Linux and Android memory acquired with the LiME
 *   module): a 32-byte header per physical range, u32le magic 0x4C694D45
 *   (bytes "EMiL"), version 1, the range's first and last address (u64le)
 *   and 8 reserved bytes, then the range's bytes, then the next header.
 * - AVML (Microsoft's Linux acquirer, `--compress`): the same header with
 *   magic 0x4C4D5641 ("AVML") and version 2, then the range as a Snappy
 *   framed stream ("sNaPpY" identifier chunk first) and its size (u64le).
 * - VMware suspended and snapshot state (`.vmss`, `.vmsn`): one of four
 *   magic words (D0/D1/D2/D3 BE…), a u32, the group count, then 80-byte group
 *   records (a 64-byte name, the group's tag offset and size). The guest's
 *   memory beside it (`.vmem`) is raw pages with no header: by name only.
 * - VirtualBox saved state (`.sav`): "\x7fVirtualBox SavedState V" and the
 *   format version at the start of a 32-byte magic field.
 * - QEMU migration streams (`virsh save`, `migrate "exec:cat > file"`,
 *   savevm): "QEVM", version 3 (u32be), then a configuration section (0x07,
 *   the machine type) or the first section start (0x01: section id, the
 *   section's name such as "ram"), which libmagic's four letters do not check.
 *
 * Memory is high-entropy in places (keys, compressed pages: AVML's frames
 * are Snappy throughout), which made the statistics call some of these
 * ciphertext. None needs a key; memory-forensics tools (Volatility, the
 * hypervisors themselves) read them, no general reader does: opaque, named.
 * References: LiME's "Memory Range Header Version 1" documentation;
 * Volatility 3's layers (lime.py, avml.py, vmware.py); VirtualBox
 * src/VBox/VMM/VMMR3/SSM.cpp (SSMFILEHDR, SSMFILEHDR_MAGIC_V2_0); QEMU
 * migration/savevm.c (QEMU_VM_FILE_MAGIC, QEMU_VM_CONFIGURATION,
 * QEMU_VM_SECTION_START). QEMU's fixtures are its own; the others are written
 * from these layouts (fixtures/memory-images/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain, u32be, u32le, u64le } from './util.js';

const LIME = { id: 'lime-memory-image', name: 'LiME memory image' };
const AVML = { id: 'avml-memory-image', name: 'AVML compressed memory image' };
const VMWARE = { id: 'vmware-saved-state', name: 'VMware suspended or snapshot state (.vmss, .vmsn)' };
const VMEM = { id: 'vmware-memory-file', name: 'VMware guest memory file (.vmem)' };
const VIRTUALBOX = { id: 'virtualbox-saved-state', name: 'VirtualBox saved state (.sav)' };
const QEMU = { id: 'qemu-vm-state', name: 'QEMU migration stream (saved VM state)' };

const LIME_MAGIC = 0x4c694d45;
const AVML_MAGIC = 0x4c4d5641;
const RANGE_HEADER = 32;
const PAGE = 4096;
const SNAPPY_ID = [0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59];
const VMWARE_MAGICS = new Set([0xbed2bed0, 0xbad1bad1, 0xbed2bed2, 0xbed3bed3]);
const VMWARE_GROUP = 80;
/** More groups than VMware writes (a dozen): a count past this is not its header. */
const VMWARE_MAX_GROUPS = 256;
const VBOX_MAGIC = '\x7fVirtualBox SavedState V';
const MEMORY_TOOLS = 'memory-forensics tools (Volatility) read it';

/** Printable ASCII, as names of sections and groups are. */
const isName = (s: string) => s.length > 0 && /^[\x20-\x7e]+$/.test(s);

export const memoryImagesDetector = defineDetector({
  meta: {
    id: 'memory-images',
    version: '1.0.0',
    title: 'Memory images and saved VM states (LiME, AVML, VMware, VirtualBox, QEMU)',
    formats: [
      { ...LIME, status: 'opaque', how: 'header-field', extensions: ['lime', 'mem'] },
      { ...AVML, status: 'opaque', how: 'header-field', extensions: ['lime'] },
      { ...VMWARE, status: 'opaque', how: 'header-field', extensions: ['vmss', 'vmsn'] },
      { ...VMEM, status: 'opaque', how: 'path', extensions: ['vmem'] },
      { ...VIRTUALBOX, status: 'opaque', how: 'signature', extensions: ['sav'] },
      { ...QEMU, status: 'opaque', how: 'structure' },
    ],
  },
  minSize: RANGE_HEADER,
  priority: 25,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const magic = u32le(h, 0);
    if (magic === LIME_MAGIC || magic === AVML_MAGIC) return rangeImage(h, probe.size, magic === AVML_MAGIC);
    if (magic !== undefined && VMWARE_MAGICS.has(magic)) return vmware(h, probe.size);
    // Only then read as text: this runs on every file (the .vmem rule has no signature).
    if (h[0] === 0x7f && ascii(h, 0, VBOX_MAGIC.length) === VBOX_MAGIC) return virtualbox(h);
    if (h[0] === 0x51 && ascii(h, 0, 4) === 'QEVM') return qemu(h);
    if (probe.extension === 'vmem' && probe.size % PAGE === 0) return vmem(probe.name, probe.size);
    return undefined;
  },
});

/** LiME's and AVML's range headers, followed through the head while they lie in it. */
function rangeImage(h: Uint8Array, size: number, avml: boolean): Detection | undefined {
  const first = rangeHeader(h, 0, avml);
  if (!first) return undefined;
  let ranges = 1;
  if (avml) {
    // The range is a Snappy framed stream: the identifier chunk, then a compressed (0) or plain (1) chunk.
    if (!SNAPPY_ID.every((b, i) => h[RANGE_HEADER + i] === b)) return undefined;
    const chunk = h[RANGE_HEADER + SNAPPY_ID.length];
    if (chunk !== undefined && chunk !== 0x00 && chunk !== 0x01) return undefined;
  } else {
    if (RANGE_HEADER + first.length > size) return undefined;
    for (let at = RANGE_HEADER + first.length; at + RANGE_HEADER <= Math.min(h.length, size); ranges++) {
      const next = rangeHeader(h, at, false);
      if (!next) return undefined;
      at += RANGE_HEADER + next.length;
    }
  }
  const what = avml ? AVML : LIME;
  return plain('opaque', {
    ...what,
    confidence: 0.95,
    code: avml ? 'AVML_RANGE_HEADER' : 'LIME_RANGE_HEADER',
    message: `${what.name}: a range header (magic "${avml ? 'AVML' : 'EMiL'}", version ${avml ? 2 : 1}) for physical addresses 0x${first.start.toString(16)}-0x${first.end.toString(16)} (${first.length} bytes)${avml ? ', held as a Snappy framed stream' : `; ${ranges} range header(s) chain through the bytes read`}. Physical memory, not encrypted: ${MEMORY_TOOLS}.`,
    figures: { firstAddress: first.start, firstRangeBytes: first.length, ...(avml ? {} : { rangesSeen: ranges }) },
  });
}

function rangeHeader(
  h: Uint8Array,
  at: number,
  avml: boolean,
): { start: number; end: number; length: number } | undefined {
  if (u32le(h, at) !== (avml ? AVML_MAGIC : LIME_MAGIC) || u32le(h, at + 4) !== (avml ? 2 : 1)) return undefined;
  const start = u64le(h, at + 8);
  const end = u64le(h, at + 16);
  if (start === undefined || end === undefined || end < start) return undefined;
  // LiME's reserved bytes are zero; AVML keeps its padding field there.
  if (!avml && h.subarray(at + 24, at + 32).some((b) => b !== 0)) return undefined;
  return { start, end, length: end - start + 1 };
}

function vmware(h: Uint8Array, size: number): Detection | undefined {
  const groups = u32le(h, 8);
  if (groups === undefined || groups === 0 || groups > VMWARE_MAX_GROUPS) return undefined;
  const tableEnd = 12 + groups * VMWARE_GROUP;
  const names: string[] = [];
  for (let i = 0; i < groups && 12 + (i + 1) * VMWARE_GROUP <= h.length; i++) {
    const at = 12 + i * VMWARE_GROUP;
    const raw = h.subarray(at, at + 64);
    const nul = raw.indexOf(0);
    const name = ascii(raw, 0, nul < 0 ? 64 : nul);
    const tags = u64le(h, at + 64);
    if (!isName(name) || (nul >= 0 && raw.subarray(nul).some((b) => b !== 0))) return undefined;
    if (tags === undefined || tags < tableEnd || tags >= size) return undefined;
    names.push(name);
  }
  if (names.length === 0) return undefined;
  return plain('opaque', {
    ...VMWARE,
    confidence: 0.9,
    code: 'VMWARE_STATE_GROUPS',
    message: `VMware saved state: magic 0x${u32le(h, 0)!.toString(16)} and ${groups} group record(s) whose names and tag offsets hold (${names.slice(0, 6).join(', ')}). The virtual machine's device state${names.includes('memory') ? ' and the map of its memory (.vmem)' : ''}, not encrypted: ${MEMORY_TOOLS}.`,
    figures: { groups },
  });
}

function vmem(name: string, size: number): Detection {
  return {
    ...plain('opaque', {
      ...VMEM,
      confidence: 0.8,
      code: 'VMWARE_MEMORY_FILE_NAME',
      message: `${name}: a VMware guest's memory file (${size / PAGE} pages of raw memory, no header; the .vmss or .vmsn beside it maps them). Random-looking pages are memory (keys, compressed pages), not ciphertext: ${MEMORY_TOOLS}.`,
      figures: { pages: size / PAGE },
    }),
    basis: 'path',
  };
}

function virtualbox(h: Uint8Array): Detection | undefined {
  const version = /^(\d+\.\d+)\n/.exec(ascii(h, VBOX_MAGIC.length, 32));
  if (!version) return undefined;
  return plain('opaque', {
    ...VIRTUALBOX,
    confidence: 0.95,
    code: 'VIRTUALBOX_SAVED_STATE_MAGIC',
    message: `VirtualBox saved state, format ${version[1]} ("VirtualBox SavedState" magic): the virtual machine's memory and device state, compressed in units, not encrypted; VirtualBox and ${MEMORY_TOOLS}.`,
    figures: { version: version[1]! },
  });
}

/** "QEVM", version 3, then a configuration section or a section start whose name is printable. */
function qemu(h: Uint8Array): Detection | undefined {
  if (u32be(h, 4) !== 3) return undefined;
  let at = 8;
  let machine: string | undefined;
  if (h[at] === 0x07) {
    const len = u32be(h, at + 1);
    if (len === undefined || len === 0 || len > 256) return undefined;
    machine = ascii(h, at + 5, at + 5 + len);
    if (!isName(machine)) return undefined;
    at += 5 + len;
  }
  // QEMU_VM_SECTION_START: type, section id (u32), name length and name, instance id, version id.
  if (h[at] !== 0x01) return undefined;
  const nameLength = h[at + 5];
  if (nameLength === undefined || nameLength === 0) return undefined;
  const section = ascii(h, at + 6, at + 6 + nameLength);
  if (!isName(section) || at + 6 + nameLength + 8 > h.length) return undefined;
  return plain('opaque', {
    ...QEMU,
    confidence: 0.95,
    code: 'QEMU_VM_STREAM',
    message: `QEMU migration stream ("QEVM", version 3)${machine ? ` of a "${machine}" machine` : ''}, its first section "${section}": a saved virtual machine's memory and device state, not encrypted; QEMU and ${MEMORY_TOOLS}.`,
    figures: { ...(machine ? { machine } : {}), firstSection: section },
  });
}
