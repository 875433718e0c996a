/**
 * Trailing runs of characters, counted from the end. The regex idiom `/=+$/` (`/\0+$/`, `/[\0 ]+$/`) is tried
 * by V8 from every position of the text: on a long run that stops short of the end (16 MiB of `=` and one
 * letter) each start walks the rest of the run, quadratic in its length, and a scan stuck there never ends
 * (the main thread cannot be pre-empted). These walk back from the end once. The `no-trailing-run-regex`
 * ESLint rule points here.
 */

/** How many characters at the end of `text` are among `chars`. */
export function trailingRunLength(text: string, chars: string): number {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1]!)) end--;
  return text.length - end;
}

/** `text` without the characters among `chars` at its end. */
export function trimEndOf(text: string, chars: string): string {
  const run = trailingRunLength(text, chars);
  return run === 0 ? text : text.slice(0, text.length - run);
}
