/**
 * Mail as text: an RFC 5322 message (`.eml`, a Maildir file, a message saved by a mail client) and an mbox
 * (RFC 4155: each message after a "From " separator line). The text detector names them so; an encrypted or
 * signed message is the `encrypted-email` detector's (it ranks above text).
 * A message is claimed when its first lines are a header block (each a field name, a colon and a value, or a
 * folded continuation) of at least three fields, two of them ones every mail carries and one of those a field of
 * its origin or travel (From, Date, Received, Message-ID…), ended by a blank line, or
 * still running where the text read ends: relays and Exchange add Received, ARC and X- fields by the dozen, and a
 * header block of 16 KiB or more is not rare (the `mail-headers` parser reads the rest).
 */

/** Fields of a mail's header that an arbitrary "Name: value" text does not have. */
const MAIL_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'received',
  'return-path',
  'mime-version',
  'delivered-to',
  'reply-to',
  'in-reply-to',
  'references',
  'x-mailer',
  'user-agent',
  'content-type',
]);
/**
 * The fields that say where a message came from or how it travelled: RFC 5322 makes From and Date mandatory, and a
 * transported message carries trace fields (Received, Return-Path, Delivered-To) and a Message-ID. A header block
 * needs one of them: recipients and references alone ("To", "Cc", "References") are also the keys of a YAML
 * dictionary (pandoc's translations/*.yaml: "Cc: Verteiler", "To: An", "References: Literatur").
 */
const ORIGIN_FIELDS = new Set([
  'from',
  'date',
  'received',
  'return-path',
  'delivered-to',
  'message-id',
  'mime-version',
]);
/** The mbox separator: "From ", the envelope sender, then an asctime date ending in the year. */
const MBOX_SEPARATOR = /^From \S+ +\w{3} \w{3} [ \d]\d \d\d:\d\d(:\d\d)? (\S+ )?\d{4}\r?$/;
const FIELD = /^([!-9;-~]+):[ \t]?/;

/** Lines of a text looked at: a header block longer than this is taken as one still running. */
const MAX_LINES = 200;

export interface MailShape {
  kind: 'eml' | 'mbox';
  /** The header block had not ended where the lines looked at end (it runs on past them). */
  headerOpen: boolean;
}

/**
 * Whether `lines` (from the first) are a mail header block of three fields or more, two of them mail's own and one of
 * origin or travel:
 * 'closed' when a blank line ends it, 'open' when the lines run out first and `more` says the text goes on.
 */
function headerBlock(lines: readonly string[], more: boolean): 'closed' | 'open' | undefined {
  let fields = 0;
  let mail = 0;
  let origin = 0;
  const enough = (): boolean => fields >= 3 && mail >= 2 && origin >= 1;
  for (const line of lines) {
    if (line === '' || line === '\r') return enough() ? 'closed' : undefined;
    if (/^[ \t]/.test(line)) {
      if (fields === 0) return undefined;
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) return undefined;
    fields++;
    const name = m[1]!.toLowerCase();
    if (MAIL_FIELDS.has(name)) mail++;
    if (ORIGIN_FIELDS.has(name)) origin++;
  }
  return more && enough() ? 'open' : undefined;
}

/**
 * `eml` for one message, `mbox` for a mailbox, from the first 200 lines of the text; `cut` when the text is the
 * start of a longer file (its last line may be cut short, so it is not judged).
 */
export function mailShape(text: string, cut = false): MailShape | undefined {
  // Most texts leave on their first characters: a field name and a colon, or the mbox separator's "From ".
  if (!text.startsWith('From ') && !FIELD.test(text)) return undefined;
  const lines = text.split('\n', MAX_LINES + 1);
  let more = lines.length > MAX_LINES;
  if (more || cut) {
    lines.pop();
    more = true;
  }
  const mbox = MBOX_SEPARATOR.test(lines[0] ?? '');
  const block = headerBlock(mbox ? lines.slice(1) : lines, more);
  return block ? { kind: mbox ? 'mbox' : 'eml', headerOpen: block === 'open' } : undefined;
}
