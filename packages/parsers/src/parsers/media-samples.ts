/**
 * Video past the probe: a large file the statistics called random (no
 * header, uniformly distributed bytes) that holds H.264/H.265 NAL units
 * behind 4-byte lengths, as MP4 and MOV store them, or Matroska/WebM
 * cluster blocks. A player's cache span or a piece cut from a video
 * (media-fragments.ts finds these in the probe when units are small; key
 * frames and high bit rates need more bytes than the probe holds). It reads
 * the first MiB and needs three units in a row, each where the length before
 * it says (random bytes give that less than once in ten million files), in
 * chains that look like sample data, not records that chain by chance (see
 * samplesLike), or
 * four WebM blocks. The item becomes opaque (samples without the index that
 * plays them) or, for WebM, analysable; not encrypted. Common Encryption
 * keeps lengths and NAL headers in the clear, so the reason says that the
 * payloads may still be.
 * Reference: ISO/IEC 14496-15 §5.3.2; ITU-T H.264 §7.3.1, H.265 §7.3.1.2;
 * RFC 9559 §10.2.
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';
import {
  NAL_HEADER_PASS_RATE,
  SAMPLES_FORMAT,
  WEBM_BLOCKS,
  blockChain,
  nalRuns,
  samplesLike,
} from '../detectors/media-fragments.js';

const READ_BYTES = 1024 * 1024;
const MIN_UNITS = 3;
/** Matroska blocks in a row, as the media-fragments detector needs them. */
const MIN_BLOCKS = 4;

export const mediaSamplesParser = defineParser({
  meta: {
    id: 'media-samples',
    version: '1.0.0',
    title: 'Video samples (length-prefixed NAL units, WebM blocks) in large files the statistics called random',
    formats: ['unknown-encrypted', 'truecrypt-veracrypt'],
  },
  // Smaller files are read whole enough by the probe's windows (media-fragments).
  requires: { minSize: 64 * 1024 },
  priority: 90,
  async parse(ctx): Promise<ParseResult | undefined> {
    const size = ctx.item.size;
    const bytes = await ctx.read(0, Math.min(size, READ_BYTES));
    // Within the bytes read: every unit but the last is checked where the one before it ends.
    const blocks = blockChain(bytes, 0, size, MIN_BLOCKS);
    if (blocks) return webmBlocks(blocks, bytes.length);
    // Records behind 4-byte lengths (a header's fields, a per-record encrypted store) chain too: see nalRuns.
    const chain = nalRuns(bytes, 0, size);
    if (!chain || chain.longestRun < MIN_UNITS || !samplesLike(chain, bytes.length)) return undefined;
    const label = chain.codec === 'hevc' ? 'H.265' : 'H.264';
    const figures = {
      units: chain.units,
      longestRun: chain.longestRun,
      firstUnit: chain.offset,
      coveredBytes: chain.covered,
      bytesRead: bytes.length,
      chanceForRecords: NAL_HEADER_PASS_RATE[chain.codec] ** chain.units,
    };
    return {
      details: { codec: chain.codec, ...figures },
      reclassify: {
        status: 'opaque',
        confidence: 0.75,
        format: { ...SAMPLES_FORMAT[chain.codec] },
        reasons: [
          {
            code: 'NAL_LENGTH_CHAIN',
            message:
              `${chain.units} ${label} NAL units in chains of up to ${chain.longestRun} from offset ${chain.offset}, ` +
              `spanning ${chain.covered} of the first ${bytes.length} bytes, each behind its 4-byte length: video ` +
              'samples as MP4 and MOV store them, without the index that plays them, so their uniform bytes are ' +
              'compressed video, not ciphertext. Common Encryption would keep these lengths and headers in the ' +
              'clear: a piece alone does not show whether the payloads are.',
            figures,
          },
        ],
      },
    };
  },
});

function webmBlocks(chain: { blocks: number; offset: number }, bytesRead: number): ParseResult {
  return {
    details: { container: 'matroska', blocks: chain.blocks, firstBlock: chain.offset, bytesRead },
    reclassify: {
      status: 'analysable',
      confidence: 0.75,
      format: { ...WEBM_BLOCKS },
      reasons: [
        {
          code: 'EBML_BLOCK_CHAIN',
          message:
            `${chain.blocks} Matroska/WebM blocks in a row from offset ${chain.offset} in the first ${bytesRead} bytes, ` +
            "each element where the one before it ends: a piece of a WebM or Matroska file's clusters, whose uniform " +
            'bytes are compressed media, not ciphertext.',
          figures: { blocks: chain.blocks, firstBlock: chain.offset, bytesRead },
        },
      ],
    },
  };
}
