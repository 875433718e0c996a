/**
 * Synology archives (DSM 7 and later): package files (`.spk`) and system
 * updates (`.pat`) a NAS owner downloads. A four-byte magic whose last three
 * bytes are AD BE EF, a header length, then a MessagePack array of five whose
 * first element is a 32-byte binary (the signature) and whose metadata names
 * the package, architecture and version; the payload is encrypted with keys
 * that every copy of DSM holds (and that reverse engineers have published), so
 * by the class rule it is not encrypted: opaque, named. The statistics called
 * these encrypted.
 * References: file(1)'s Magdir/archive "Synology archive" entry (Alexandre
 * Iooss: "signed and encrypted"); the synodecrypt write-ups (static keys in
 * DSM's code-signing library). Fixture written from that layout
 * (fixtures/synology-archive/generate.sh).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const META = /(package|arch|version|create_time)="([^"\\]{1,64})"/g;

export const synologyArchiveDetector = defineDetector({
  meta: {
    id: 'synology-archive',
    version: '1.0.0',
    title: 'Synology DSM 7 archives (.spk packages, .pat updates)',
    formats: [
      {
        id: 'synology-archive',
        name: 'Synology DSM archive (.spk package, .pat update), encrypted with keys DSM holds',
        status: 'opaque',
        how: 'structure',
        extensions: ['spk', 'pat'],
      },
    ],
  },
  signatures: [{ offset: 1, hex: 'adbeef' }],
  minSize: 64,
  priority: 30,
  detect(probe): Detection | undefined {
    const { head, size } = probe;
    // The MessagePack array of five, its first element a bin8 of 32 bytes (Magdir: 8 ulelong&0xFFFFFF 0x20C495).
    if (head[8] !== 0x95 || head[9] !== 0xc4 || head[10] !== 0x20) return undefined;
    const headerLength = head[4]! | (head[5]! << 8) | (head[6]! << 16) | (head[7]! * 0x1000000);
    if (headerLength < 35 || headerLength > size) return undefined;
    const text = ascii(head.subarray(43, Math.min(head.length, 43 + 0x10000)));
    const fields: Record<string, string> = {};
    for (const m of text.matchAll(META)) fields[m[1]!] ??= m[2]!;
    // A package names itself; an update (.pat) at least its version.
    if (!fields.package && !fields.version) return undefined;
    const what = fields.package ? `package "${fields.package}"` : 'system update';
    return plain('opaque', {
      id: 'synology-archive',
      name: 'Synology DSM archive (.spk package, .pat update), encrypted with keys DSM holds',
      confidence: 0.93,
      code: 'SYNOLOGY_ARCHIVE',
      message: `Synology archive (${what}${fields.version ? ` ${fields.version}` : ''}${fields.arch ? `, ${fields.arch}` : ''}): magic ..ADBEEF, a signed MessagePack header; the payload is encrypted with keys every DSM installation holds, so it is not encrypted in the sense of needing a secret, and only Synology's tools read it.`,
      figures: { ...fields, headerLength },
    });
  },
});
