import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Detection } from '@evtriage/core';
import { testDetector } from '@evtriage/core/testing';
import { cctvVideoDetector } from './cctv-video.js';
import { fuzzFlipCutGrow, wholeFileProbe } from './probe.test-helper.js';

// Real H.264/H.265/MPEG-PS by ffmpeg, wrapped from the published layouts; ffprobe reads them back (generate.sh).
const fixtures = new URL('../../fixtures/cctv-video/', import.meta.url);
const read = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

testDetector(
  cctvVideoDetector,
  {
    fixtures,
    valid: [
      { file: 'cam.dav', format: 'dahua-dav', status: 'analysable', confidence: { min: 0.9 }, reasons: ['DHAV_FRAME'] },
      { file: 'cam-hevc.dav', format: 'dahua-dav', status: 'analysable', reasons: ['DHAV_FRAME'] },
      { file: 'dahua-header.dav', format: 'dahua-dav', status: 'analysable', reasons: ['DHAV_FRAME'] },
      {
        file: 'cut-short.dav',
        format: 'dahua-dav',
        status: 'analysable',
        confidence: { max: 0.8 },
        reasons: ['DHAV_FRAME'],
      },
      {
        file: 'carved.dav',
        format: 'dahua-dav',
        status: 'analysable',
        confidence: { min: 0.85, max: 0.85 },
        reasons: ['DHAV_FRAME'],
      },
      { file: 'zeroed-start.dav', format: 'dahua-dav', status: 'analysable', reasons: ['DHAV_FRAME'] },
      { file: 'hik-ps.mp4', format: 'hikvision-media', status: 'analysable', reasons: ['HIKVISION_MEDIA_HEADER'] },
      { file: 'hik-ts.mp4', format: 'hikvision-media', status: 'analysable', reasons: ['HIKVISION_MEDIA_HEADER'] },
      { file: 'hik-rtp.mp4', format: 'hikvision-media-private', status: 'opaque', reasons: ['HIKVISION_MEDIA_HEADER'] },
    ],
    // The magic in prose; a cut DHAV frame whose extension type ffmpeg does not know; a trailer where the length
    // says that is not "dhav"; an IMKH header saying PS over no pack header.
    invalid: [
      { file: 'mentions-dhav.txt' },
      { file: 'unknown-extension.dav' },
      { file: 'wrong-trailer.dav' },
      { file: 'imkh-not-ps.bin' },
    ],
  },
  { framework: { describe, it } },
);

describe('cctv-video on probes of large files', () => {
  const ctx = { limits: DEFAULT_LIMITS };
  /** A probe holding only the first `headBytes` and the last `tailBytes` of the file. */
  const cut = (bytes: Uint8Array, headBytes: number, tailBytes: number) => ({
    ...wholeFileProbe(bytes, 'x.dav'),
    head: bytes.subarray(0, headBytes),
    tail: bytes.subarray(bytes.length - tailBytes),
    complete: false,
  });

  it('confirms a first frame longer than the head by the complete frame that ends the file', () => {
    const dav = read('cam.dav');
    const first = Buffer.from(dav).readUInt32LE(12);
    const d = cctvVideoDetector.detect(cut(dav, first - 100, 4096), ctx) as Detection;
    expect(d.format.id).toBe('dahua-dav');
    expect(d.reasons[0]!.message).toContain('a complete frame ending the file');
    // Without that last frame (the tail is not a trailer), the header's known extensions carry it, at less confidence.
    const torn = cctvVideoDetector.detect(cut(dav.subarray(0, dav.length - 3), first - 100, 4096), ctx) as Detection;
    expect(torn.confidence).toBe(0.8);
    expect(torn.reasons[0]!.message).toContain('its trailer out of sight');
  });

  it('reads the date and frame type from the header', () => {
    const d = cctvVideoDetector.detect(wholeFileProbe(read('cam.dav')), ctx) as Detection;
    expect(d.reasons[0]!.figures).toMatchObject({ frameType: 'key video', recorded: '2026-12-07 04:30:00' });
  });

  it('gives the MIME type of the stream the header says', () => {
    const ps = cctvVideoDetector.detect(wholeFileProbe(read('hik-ps.mp4')), ctx) as Detection;
    const ts = cctvVideoDetector.detect(wholeFileProbe(read('hik-ts.mp4')), ctx) as Detection;
    expect([ps.format.mime, ts.format.mime]).toEqual(['video/MP2P', 'video/MP2T']);
  });

  it('takes no frame whose date is out of range', () => {
    const dav = Buffer.from(read('cam.dav'));
    dav.writeUInt32LE(dav.readUInt32LE(16) | (15 << 22), 16); // month 15
    expect(cctvVideoDetector.detect(wholeFileProbe(dav.subarray(0, 2000)), ctx)).toBeUndefined();
  });

  fuzzFlipCutGrow(
    cctvVideoDetector,
    [
      'cam.dav',
      'dahua-header.dav',
      'zeroed-start.dav',
      'cut-short.dav',
      'carved.dav',
      'hik-ps.mp4',
      'hik-ts.mp4',
      'hik-rtp.mp4',
    ].map((f) => [f, read(f)] as const),
    200,
    { wholeHalf: true },
  );
});
