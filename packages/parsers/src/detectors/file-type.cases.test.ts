/** Fixture cases for the file-type detector, with @evtriage/core/testing (fixtures: ../../fixtures/file-type/, generate.sh). */
import { testDetector } from '@evtriage/core/testing';
import { describe, it } from 'vitest';
import { fileTypeDetector } from './file-type.js';

testDetector(
  fileTypeDetector,
  {
    fixtures: new URL('../../fixtures/file-type/', import.meta.url),
    valid: [
      { file: 'photo.jpg', format: 'jpeg', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'photo-named.txt', format: 'jpeg', status: 'analysable', name: 'a JPEG named .txt: content decides' },
      { file: 'image.png', format: 'png', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'notes.tbz2', format: 'bzip2', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'notes.txz', format: 'xz', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      // MPEG audio without an ID3 tag (ffmpeg): its frames chain, so the frame sync is believed.
      { file: 'tone.mp3', format: 'mp3', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'tone.mp2', format: 'mp2', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      // compress(1) (ncompress): the flags byte and the first LZW codes hold.
      { file: 'notes.Z', format: 'compress-z', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      // Raw AAC (ADTS) and AC-3/E-AC-3 (ffmpeg): their frames chain, so the 14- and 16-bit sync words are believed.
      { file: 'tone.aac', format: 'aac', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'tone.ac3', format: 'ac3', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'tone.eac3', format: 'ac3', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      // Two-byte magic numbers whose header is checked: an ARJ header's CRC-32, a BMP file header's fields, a cpio name.
      { file: 'notes.arj', format: 'arj', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'notes.cpio', format: 'cpio', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'pixels.bmp', format: 'bmp', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'bigtiff.tif', format: 'tiff', status: 'analysable', reasons: ['FILE_TYPE_MAGIC'] },
      // Icons and a cursor (icotool): the directory's entries lie in the file and the first image is a DIB or a PNG.
      { file: 'icon.ico', format: 'ico', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      { file: 'pointer.cur', format: 'cur', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      // A pcap (text2pcap): version 2.4 and a first record that fits, no longer a weak magic.
      { file: 'two-packets.pcap', format: 'pcap', status: 'analysable', confidence: 0.8, reasons: ['FILE_TYPE_MAGIC'] },
      // A transport stream (ffmpeg): a sync byte at the start of each of its 13 packets confirms the one-byte magic,
      // and .m2ts is one of its names.
      {
        file: 'clip.m2ts',
        format: 'mts',
        status: 'analysable',
        confidence: 0.8,
        reasons: ['FILE_TYPE_MAGIC'],
      },
    ],
    invalid: [
      { file: 'not-an-image.png', name: 'text named like a PNG' },
      { file: 'README.Debian', name: 'a text that starts with the word "SQLite"' },
      // A database is the sqlite detector's: it reads the header's fields, and declines a damaged one.
      { file: 'db.sqlite', name: 'an SQLite database (left to the sqlite detector)' },
      { file: 'ff-run.part', name: 'a run of 0xFF bytes (a split-archive piece): frame sync, no frames' },
      { file: 'sync-then-noise.bin', name: 'one valid MPEG frame header, then bytes that are no frame' },
      { file: 'random-after-arj-magic.bin', name: 'ARJ magic "60 EA", then random bytes (no header CRC)' },
      { file: 'random-after-bmp-magic.bin', name: '"BM", then random bytes (no bitmap file header)' },
      { file: 'random-after-cpio-magic.bin', name: 'binary cpio magic, then random bytes (no name)' },
      { file: 'random-after-exe-magic.bin', name: '"MZ", then uniformly random bytes' },
      { file: 'random-after-pdf-magic.bin', name: '"%PDF-1.4", then uniformly random bytes' },
      {
        file: 'tiny.dfont',
        name: 'a Mac datafork font (fontforge): "00 00 01 00" is its data offset, no icon directory',
      },
      { file: 'random-after-ico-magic.bin', name: 'the icon magic, then random bytes (entries point nowhere)' },
      { file: 'random-after-pcap-magic.bin', name: 'the pcap magic, then random bytes (no version 2.x)' },
      { file: 'random-after-bigtiff-magic.bin', name: "BigTIFF's header, then random bytes (no IFD in the file)" },
      { file: 'random-after-compress-magic.bin', name: 'the compress magic and flags, then random LZW codes' },
      { file: 'random-after-adts-sync.bin', name: 'an ADTS header, then random bytes (no second frame)' },
      { file: 'random-after-ac3-sync.bin', name: 'the AC-3 sync word, then random bytes (no frame chain)' },
      { file: 'random-after-zlib-header.bin', name: "zlib's 78 01 (file-type's DMG), then random bytes" },
      { file: 'sync-at-188-only.bin', name: 'a typelib-like header: "G" at 0 and at 188, no third packet' },
    ],
  },
  { framework: { describe, it } },
);
