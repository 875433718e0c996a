/**
 * E-mail messages whose header block the probe does not show whole: relays, Exchange and Microsoft 365 add
 * Received, ARC, DKIM and X- fields by the dozen, and a header of 10–30 KiB puts the Content-Type that says
 * the body is encrypted past the 8 KiB the `encrypted-email` detector looks in, or past the 16 KiB probe.
 * The text detector names such a file `eml`; this parser reads the header block to its end (at most 256 KiB,
 * Exchange's own limit on a message header; Postfix's is 100 KiB) and the start of the body, and gives the
 * whole message to the `encrypted-email` detector's judgement: one rule for short and long headers.
 * References: RFC 5322 §2.2 (header fields), §3.6.7 (trace fields, one per relay).
 */
import { ascii, defineParser, type ParseResult } from '@evtriage/core/contract';
import { judgeMessage } from '../detectors/encrypted-email.js';

/** A header block longer than this is not read on (Exchange refuses a message header over 256 KiB). */
const MAX_HEADER_BYTES = 256 * 1024;
/** Read after the header block: enough for a multipart preamble and the first part's header and body start. */
const BODY_BYTES = 64 * 1024;
const HEADER_END = /\r?\n\r?\n/;

export const mailHeadersParser = defineParser({
  meta: {
    id: 'mail-headers',
    version: '1.0.0',
    title: "E-mail messages with long headers: the encrypted-email detector's rule over the whole header block",
    formats: ['eml'],
  },
  // A smaller message had its Content-Type within the 8 KiB the detector looks in.
  requires: { minSize: 8 * 1024 },
  priority: 40,
  async parse(ctx): Promise<ParseResult | undefined> {
    const { head } = ctx.probe;
    const size = ctx.item.size;
    const headText = ascii(head, 0, head.length);
    let text = headText;
    // The header block ends inside the probe: the detector's view (the probe) is judged again, nothing read.
    if (headText.search(HEADER_END) < 0 && size > head.length) {
      const bytes = await ctx.read(0, Math.min(size, MAX_HEADER_BYTES + BODY_BYTES));
      text = ascii(bytes, 0, bytes.length);
    }
    const headerBytes = text.search(HEADER_END);
    if (headerBytes < 0 || headerBytes > MAX_HEADER_BYTES) return undefined;
    const verdict = judgeMessage(text);
    if (verdict?.status !== 'encrypted' || !verdict.encryption) return undefined;
    const first = verdict.reasons[0]!;
    const read =
      text.length > head.length
        ? `read to byte ${text.length}, past the ${head.length}-byte probe`
        : 'read from the probe';
    return {
      details: { headerBytes },
      reclassify: {
        status: 'encrypted',
        confidence: verdict.confidence,
        format: verdict.format,
        reasons: [
          {
            code: first.code,
            message: `${first.message ?? ''} Its header block is ${headerBytes} bytes long (${read}).`,
            figures: { ...first.figures, headerBytes },
          },
        ],
      },
      encryption: verdict.encryption,
    };
  },
});
