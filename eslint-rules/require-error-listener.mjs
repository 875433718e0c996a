/**
 * An emitter of 'error' events with no listener ends the process when it emits one (Node throws the
 * error). This rule asks that every stream, child process or worker a function creates either goes
 * straight into `pipeline()`/`finished()` (which take its errors) or has an 'error' listener attached
 * in the same function: `.on('error', …)`, `.once('error', …)`, `addListener`/`prependListener`.
 * A heuristic over one function's code, not a proof: it catches the forgotten listener, the crash
 * the fuzzer found (an inflate stream's error with nobody listening).
 */
/** What makes an emitter of 'error' events, by the module it comes from. */
const CREATORS = {
  fs: new Set(['createReadStream', 'createWriteStream']),
  zlib: new Set([
    'createGzip',
    'createGunzip',
    'createDeflate',
    'createDeflateRaw',
    'createInflate',
    'createInflateRaw',
    'createUnzip',
    'createBrotliCompress',
    'createBrotliDecompress',
  ]),
  child_process: new Set(['spawn', 'fork']),
  worker_threads: new Set(['Worker']),
};
const moduleOf = (source) => {
  const name = String(source).replace(/^node:/, '');
  return Object.hasOwn(CREATORS, name) ? name : undefined;
};
const LISTEN = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
/** Calls that take a stream's errors when it is handed to them: pipeline/finished (and our piped()), readline (its interface re-emits them). */
const TAKERS = new Set(['pipeline', 'finished', 'createInterface', 'piped']);

const nameOf = (callee) =>
  callee.type === 'Identifier'
    ? callee.name
    : callee.type === 'MemberExpression' && !callee.computed
      ? callee.property.name
      : undefined;

function enclosingScope(node) {
  for (let n = node.parent; n; n = n.parent)
    if (
      n.type === 'FunctionDeclaration' ||
      n.type === 'FunctionExpression' ||
      n.type === 'ArrowFunctionExpression' ||
      n.type === 'Program'
    )
      return n;
  return undefined;
}

/** Whether any node of the subtree satisfies `test`. */
function some(root, visitorKeys, test) {
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (test(n)) return true;
    for (const key of visitorKeys[n.type] ?? []) {
      const child = n[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c.type === 'string') stack.push(c);
      } else if (child && typeof child.type === 'string') stack.push(child);
    }
  }
  return false;
}

/** Whether the subtree listens for 'error' somewhere. */
const listensForErrors = (root, visitorKeys) =>
  some(
    root,
    visitorKeys,
    (n) =>
      n.type === 'CallExpression' &&
      LISTEN.has(nameOf(n.callee) ?? '') &&
      n.arguments[0]?.type === 'Literal' &&
      n.arguments[0].value === 'error',
  );

const unwrap = (n) => (n?.type === 'TSAsExpression' || n?.type === 'TSNonNullExpression' ? unwrap(n.expression) : n);

/**
 * Whether the stream is consumed by `for await` (or its async iterator taken), directly or through the
 * variable it is assigned to: the iterator listens for its errors and rethrows them in the loop.
 */
function iteratedWithAwait(node, scope, visitorKeys) {
  let at = node;
  while (at.parent && (at.parent.type === 'TSAsExpression' || at.parent.type === 'TSNonNullExpression')) at = at.parent;
  const parent = at.parent;
  if (parent?.type === 'ForOfStatement' && parent.await && parent.right === at) return true;
  if (parent?.type === 'MemberExpression' && parent.object === at && parent.computed) return true; // [Symbol.asyncIterator]
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') return false;
  const name = parent.id.name;
  return some(
    scope,
    visitorKeys,
    (n) =>
      n.type === 'ForOfStatement' && n.await && unwrap(n.right)?.type === 'Identifier' && unwrap(n.right).name === name,
  );
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: {
      description:
        "require an 'error' listener (or pipeline/finished) for every stream, child process and worker created",
    },
    messages: {
      missing:
        "{{name}}() makes an emitter of 'error' events, and nothing in this function listens for them: an error would end the process. Add .on('error', …) or hand it to pipeline()/finished().",
    },
    schema: [],
  },
  create(context) {
    const visitorKeys = context.sourceCode.visitorKeys;
    /** Local names bound to a creator (`import { spawn } from 'node:child_process'`), and to whole modules (`import fs from 'node:fs'`). */
    const named = new Map();
    const whole = new Map();
    const creatorOf = (callee) => {
      if (callee.type === 'Identifier') return named.get(callee.name);
      if (callee.type !== 'MemberExpression' || callee.computed || callee.object.type !== 'Identifier')
        return undefined;
      const mod = whole.get(callee.object.name);
      return mod && CREATORS[mod].has(callee.property.name) ? callee.property.name : undefined;
    };
    const check = (node) => {
      const name = creatorOf(node.callee);
      if (!name) return;
      if ((node.type === 'NewExpression') !== (name === 'Worker')) return;
      // Straight into pipeline()/finished()/readline: they take its errors.
      const parent = node.parent;
      const handedTo = (n) => n?.type === 'CallExpression' && TAKERS.has(nameOf(n.callee) ?? '');
      if (handedTo(parent) && parent.arguments.includes(node)) return;
      if (parent?.type === 'Property' && handedTo(parent.parent?.parent)) return;
      const scope = enclosingScope(node);
      if (scope && (iteratedWithAwait(node, scope, visitorKeys) || listensForErrors(scope, visitorKeys))) return;
      context.report({ node, messageId: 'missing', data: { name } });
    };
    return {
      ImportDeclaration(node) {
        const mod = moduleOf(node.source.value);
        if (!mod) return;
        for (const spec of node.specifiers) {
          if (spec.type === 'ImportSpecifier' && CREATORS[mod].has(spec.imported.name))
            named.set(spec.local.name, spec.imported.name);
          else if (spec.type !== 'ImportSpecifier') whole.set(spec.local.name, mod);
        }
      },
      CallExpression: check,
      NewExpression: check,
    };
  },
};
