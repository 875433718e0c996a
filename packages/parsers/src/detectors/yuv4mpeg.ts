/**
 * YUV4MPEG2 streams (`.y4m`): uncompressed video frames behind a one-line
 * text header, as ffmpeg, mjpegtools, x264/x265 and test suites write and
 * read them. The header names the picture size and the frame rate, and each
 * frame starts with a `FRAME` line. libmagic's database (wasmagic's build)
 * has no rule for it, so without this a Y4M file reaches the statistics and
 * is called opaque. Readable video: analysable.
 * Reference: the YUV4MPEG2 header as mjpegtools defines it (yuv4mpeg(5):
 * "YUV4MPEG2", then space-separated tags W<width> H<height> F<n>:<d>
 * I<interlacing> A<aspect> C<colourspace> X<comment>, a newline, then
 * "FRAME" with optional tags and a newline before each frame).
 */
import { defineDetector, type Detection } from '@evtriage/core/contract';
import { ascii, plain } from './util.js';

const MAGIC = 'YUV4MPEG2 ';
/** A header longer than this is not one (mjpegtools caps it at 256 bytes of tags, comments included). */
const MAX_HEADER = 1024;

export const yuv4mpegDetector = defineDetector({
  meta: {
    id: 'yuv4mpeg',
    version: '1.0.0',
    title: 'YUV4MPEG2 uncompressed video streams',
    formats: [
      {
        id: 'yuv4mpeg',
        name: 'YUV4MPEG2 video stream',
        status: 'analysable',
        how: 'signature',
        mime: 'video/x-yuv4mpeg',
        extensions: ['y4m'],
      },
    ],
  },
  signatures: [{ offset: 0, ascii: MAGIC }],
  minSize: 16,
  priority: 30,
  detect(probe): Detection | undefined {
    const text = ascii(probe.head, 0, MAX_HEADER + 16);
    const end = text.indexOf('\n');
    if (!text.startsWith(MAGIC) || end < 0 || end > MAX_HEADER) return undefined;
    const tags = text.slice(MAGIC.length, end).split(' ').filter(Boolean);
    const tag = (c: string) => tags.find((t) => t[0] === c)?.slice(1);
    const width = Number(tag('W'));
    const height = Number(tag('H'));
    if (!(width > 0 && height > 0) || !tags.every((t) => /^[WHFIACX]/.test(t))) return undefined;
    // The first frame follows the header, unless the stream holds none.
    const rest = text.slice(end + 1);
    if (rest.length >= 5 && !rest.startsWith('FRAME')) return undefined;
    // The frame rate as a ratio, n:d (30000:1001 is NTSC's 29.97).
    const [num, den] = (tag('F') ?? '').split(':').map(Number);
    const fps = num && den ? Number((num / den).toFixed(3)) : undefined;
    const colourspace = tag('C') ?? '420jpeg';
    return plain('analysable', {
      id: 'yuv4mpeg',
      name: 'YUV4MPEG2 video stream',
      mime: 'video/x-yuv4mpeg',
      confidence: 0.95,
      code: 'YUV4MPEG_HEADER',
      message: `YUV4MPEG2 header: ${width}×${height}${fps ? `, ${fps} frames/s` : ''}, colourspace ${colourspace}${rest.startsWith('FRAME') ? ', then a FRAME marker' : ''}: uncompressed video, readable.`,
      figures: { width, height, ...(fps ? { framesPerSecond: fps } : {}), colourspace },
    });
  },
});
