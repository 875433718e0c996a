/**
 * A regex that is one repeated atom anchored only at the end (`/=+$/`, `/\0*$/`, `/[\0 ]+$/`) is tried by V8
 * from every position of the text: on a long run that stops short of the end each start walks the rest of
 * the run, quadratic in its length (16 MiB of `=` and a letter held a scan for days). Trailing characters
 * are counted from the end instead (`trimEndOf`, `trailingRunLength` in packages/parsers/src/text-ends.ts).
 */
const ATOM = String.raw`(?:\\.|\[(?:\\.|[^\]\\])*\]|[^\\()[\]|^$.])`;
const TRAILING_RUN = new RegExp(`^${ATOM}[+*]\\$$`);

export default {
  meta: {
    type: 'problem',
    docs: { description: 'disallow trailing-run regexes (quadratic on long runs); use trimEndOf()' },
    messages: {
      trailingRun:
        '/{{pattern}}/ is tried from every position (quadratic on a long run not at the end): use trimEndOf() or trailingRunLength() from text-ends.ts.',
    },
    schema: [],
  },
  create(context) {
    return {
      Literal(node) {
        if (node.regex && TRAILING_RUN.test(node.regex.pattern))
          context.report({ node, messageId: 'trailingRun', data: { pattern: node.regex.pattern } });
      },
    };
  },
};
