/**
 * Mail as text: an RFC 5322 message (`.eml`, a Maildir file, a message saved by a mail client) and an mbox
 * (RFC 4155: each message after a "From " separator line). The text detector names them so; an encrypted or
 * signed message is the `encrypted-email` detector's (it ranks above text).
 * A message is claimed when its first lines are a header block (each a field name, a colon and a value, or a
 * folded continuation) of at least three fields, two of them ones every mail carries, ended by a blank line.
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
/** The mbox separator: "From ", the envelope sender, then an asctime date ending in the year. */
const MBOX_SEPARATOR = /^From \S+ +\w{3} \w{3} [ \d]\d \d\d:\d\d(:\d\d)? (\S+ )?\d{4}\r?$/;
const FIELD = /^([!-9;-~]+):[ \t]?/;

/** Whether `lines` (from the first) are a mail header block of three fields or more, two of them mail's own. */
function headerBlock(lines: readonly string[]): boolean {
  let fields = 0;
  let mail = 0;
  for (const line of lines) {
    if (line === '' || line === '\r') return fields >= 3 && mail >= 2;
    if (/^[ \t]/.test(line)) {
      if (fields === 0) return false;
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) return false;
    fields++;
    if (MAIL_FIELDS.has(m[1]!.toLowerCase())) mail++;
  }
  return false;
}

/** `eml` for one message, `mbox` for a mailbox, from the first 200 lines of the text. */
export function mailShape(text: string): 'eml' | 'mbox' | undefined {
  // Most texts leave on their first characters: a field name and a colon, or the mbox separator's "From ".
  if (!text.startsWith('From ') && !FIELD.test(text)) return undefined;
  const lines = text.split('\n', 200);
  if (MBOX_SEPARATOR.test(lines[0] ?? '')) return headerBlock(lines.slice(1)) ? 'mbox' : undefined;
  return headerBlock(lines) ? 'eml' : undefined;
}
