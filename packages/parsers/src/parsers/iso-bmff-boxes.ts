/**
 * The top-level box table of an ISO base media file (MP4, QuickTime, 3GP, HEIF...: ISO/IEC 14496-12 §4.2), walked
 * box by box from byte 0: each box's 32-bit size (1: a 64-bit size follows the type; 0: the box runs to the end of
 * the file, allowed for the last one) must cover at least its own header and end within the file. A box that
 * runs past the end (a cut file) or declares less than its header (a damaged size) stops the walk and is a
 * warning, `ISO_BMFF_BOX_DAMAGED`: the boxes after it cannot be found, and a player would refuse or cut the file.
 * A whole table without a movie box (moov) or movie fragment (moof) is `ISO_BMFF_NO_MOVIE` (a size that swallows
 * the moov into the box before it, an mdat of size 0 running over it).
 * Bounded: one 16-byte read a box, at most MAX_BOXES boxes; nothing inside the boxes is read.
 */
import { defineParser, type ParseResult } from '@evtriage/core/contract';

const MAX_BOXES = 10_000;
/** Box types listed in the details (the first ones). */
const LISTED = 32;

/** A box type as text when it is printable (four-character codes), else as hex. */
function boxType(b: Buffer): string {
  return /^[\x20-\x7e]{4}$/.test(b.toString('latin1')) ? b.toString('latin1') : `0x${b.toString('hex')}`;
}

export interface BoxWalk {
  types: string[];
  boxes: number;
  /** A movie box (moov) or a movie fragment (moof) is among the top-level boxes walked. */
  movie: boolean;
  /** Why the walk stopped before the end of the file, when it did. */
  damage?: string;
}

/** Walks the top-level boxes of a file of `size` bytes through `read`. */
export async function walkTopLevelBoxes(
  size: number,
  read: (position: number, length: number) => Promise<Buffer>,
): Promise<BoxWalk> {
  const types: string[] = [];
  let boxes = 0;
  let movie = false;
  for (let at = 0; at < size && boxes < MAX_BOXES; boxes++) {
    const head = await read(at, 16);
    if (head.length < 8)
      return {
        types,
        boxes,
        movie,
        damage: `${size - at} bytes at offset ${at} are too few for a box header (8 bytes)`,
      };
    const type = boxType(head.subarray(4, 8));
    if (types.length < LISTED) types.push(type);
    if (type === 'moov' || type === 'moof') movie = true;
    const small = head.readUInt32BE(0);
    let header = 8;
    let boxSize: number;
    if (small === 0) return { types, boxes: boxes + 1, movie }; // runs to the end of the file (§4.2)
    if (small === 1) {
      if (head.length < 16)
        return { types, boxes, movie, damage: `box "${type}" at offset ${at} has a 64-bit size the file ends before` };
      header = 16;
      boxSize = Number(head.readBigUInt64BE(8));
    } else boxSize = small;
    if (boxSize < header)
      return {
        types,
        boxes,
        movie,
        damage: `box "${type}" at offset ${at} declares ${boxSize} bytes, less than its ${header}-byte header`,
      };
    if (at + boxSize > size)
      return {
        types,
        boxes,
        movie,
        damage: `box "${type}" at offset ${at} declares ${boxSize} bytes and runs ${at + boxSize - size} bytes past the end of the file (${size} bytes)`,
      };
    at += boxSize;
  }
  return { types, boxes, movie };
}

export const isoBmffBoxesParser = defineParser({
  meta: {
    id: 'iso-bmff-boxes',
    version: '1.0.0',
    title: 'ISO base media files (MP4, QuickTime, 3GP): the top-level box table, walked to the end',
    formats: ['mp4', 'mov', 'm4a', 'm4v', 'm4b', '3gp', '3g2', 'f4v'],
    diagnostics: {
      ISO_BMFF_BOX_DAMAGED: 'The top-level box table breaks off: {reason}; the boxes after it cannot be found.',
      ISO_BMFF_NO_MOVIE:
        'The top-level boxes ({boxes}) end at the end of the file without a movie box (moov) or a movie fragment (moof): no track table tells a player where the media is.',
    },
  },
  priority: 60,
  async parse(ctx): Promise<ParseResult | undefined> {
    const walk = await walkTopLevelBoxes(ctx.item.size, (p, l) => ctx.read(p, l));
    if (walk.damage) ctx.report({ code: 'ISO_BMFF_BOX_DAMAGED', severity: 'warning', data: { reason: walk.damage } });
    // Only a whole walk says the movie box is missing (a break may hide it); a walk cut at MAX_BOXES says nothing.
    else if (!walk.movie && walk.boxes < MAX_BOXES)
      ctx.report({ code: 'ISO_BMFF_NO_MOVIE', severity: 'warning', data: { boxes: walk.types.join(', ') } });
    return { details: { topLevelBoxes: walk.boxes, boxTypes: walk.types } };
  },
});
