/**
 * Mac OS alias records (AliasData / "alis"): the classic pointer to a file or
 * folder that Finder aliases, login items (com.apple.loginitems.plist) and
 * old preferences store. A record's header gives its size and version (2 or
 * 3); fixed record data follow, then tagged values (target name, volume
 * name, POSIX path, …) ended by the 0xFFFF terminator. Believed only when the
 * size is the file's and the tags walk to the terminator at its end. Niche
 * binary with no general reader: opaque.
 * References: libyal/dtformats "Mac OS login item alias data format";
 * mac_alias "Mac Alias Format" (record layouts of versions 2 and 3).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { plain, u16be } from './util.js';

/** Where the tagged values begin: after the 8-byte header and the version's fixed record data. */
const TAGS_AT = new Map([
  [2, 150],
  [3, 58],
]);
const TERMINATOR = 0xffff;

export const macAliasDetector = defineDetector({
  meta: {
    id: 'mac-alias',
    version: '1.0.0',
    title: 'Mac OS alias records',
    formats: [{ id: 'mac-alias', name: 'Mac OS alias record', status: 'opaque', how: 'structure' }],
  },
  minSize: 60,
  // The record size is a 16-bit field.
  maxSize: 0xffff,
  priority: 30,
  detect(probe): Detection | undefined {
    const h = probe.head;
    const version = u16be(h, 6) ?? 0;
    const tagsAt = TAGS_AT.get(version);
    // Alias type: 0 file, 1 folder.
    if (tagsAt === undefined || u16be(h, 4) !== probe.size || (u16be(h, 8) ?? 9) > 1 || probe.size > h.length)
      return undefined;
    let at = tagsAt;
    let tags = 0;
    for (;;) {
      const tag = u16be(h, at);
      const length = u16be(h, at + 2);
      if (tag === undefined || length === undefined) return undefined;
      if (tag === TERMINATOR) {
        if (length !== 0 || at + 4 !== probe.size) return undefined;
        break;
      }
      // Tags defined so far are small numbers (0x0000-0x0015, 0xFFFE).
      if (tag > 0x40 && tag !== 0xfffe) return undefined;
      at += 4 + length + (length & 1);
      tags++;
    }
    if (tags === 0) return undefined;
    return plain('opaque', {
      id: 'mac-alias',
      name: 'Mac OS alias record',
      confidence: 0.9,
      code: 'MAC_ALIAS_RECORD',
      message: `Mac OS alias record, version ${version}, whose size field is the file's and whose ${tags} tagged value(s) end at the 0xFFFF terminator: a pointer to a ${u16be(h, 8) === 1 ? 'folder' : 'file'} for an alias parser; not encrypted.`,
      figures: { version, tags },
    });
  },
});
