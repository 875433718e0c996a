/**
 * The contract checks shared by the scan and the test kit, so a plugin gets
 * the same verdict in its CI as at scan time:
 *
 * - `checkPluginData`: the plugin's data, when it loads (app-rule regular
 *   expressions, declared formats and signatures, diagnostic codes). A
 *   problem names the plugin and the field: `app rules acme-apps:
 *   rules[0].pattern: invalid regular expression: ...`.
 * - `checkDetection` (`undeclaredFormat`): a detection of a format the
 *   detector does not declare, or with another status than declared; reason
 *   codes against `meta.reasons`, with messages filled from its templates.
 * - `checkDiagnostic`: a parser's diagnostic against `meta.diagnostics`
 *   (declared codes only; a missing `meta.diagnostics` declares none), with
 *   the message filled from the declared template and `data`.
 */
import { z } from 'zod';
import { Platform } from '../model/app.js';
import { Status } from '../model/classification.js';
import { FormatId } from '../model/format.js';
import { DiagnosticSchema, firstIssue, PluginCode } from './schemas.js';
import type { Diagnostic, Detection, Plugin } from './types.js';

const HOW = ['signature', 'header-field', 'structure', 'statistics', 'path', 'library'] as const;

const FormatDeclarationSchema = z
  .object({
    id: FormatId,
    name: z.string().min(1),
    status: Status,
    how: z.enum(HOW),
    extensions: z.array(z.string()).optional(),
    mime: z.string().optional(),
  })
  .strict();

const SignatureSchema = z
  .object({
    offset: z.number().int().min(0),
    hex: z
      .string()
      .regex(/^([0-9a-fA-F]{2})+$/, 'hex must be an even number of hex digits')
      .optional(),
    ascii: z.string().min(1).optional(),
    fromEnd: z.boolean().optional(),
    within: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((s) => (s.hex === undefined) !== (s.ascii === undefined), 'give exactly one of hex and ascii');

/** A compiled regular expression, or the reason it does not compile. */
function compiles(source: unknown, group?: string): string | undefined {
  if (typeof source !== 'string' || source.length === 0)
    return 'must be a regular expression source (a non-empty string)';
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
  if (group && !new RegExp(`\\(\\?<${group}>`).test(re.source)) return `needs a named group (?<${group}>...)`;
  return undefined;
}

const appPathRuleProblems = (rule: Record<string, unknown>, at: string): string[] => {
  const out: string[] = [];
  if (typeof rule['id'] !== 'string' || rule['id'].length === 0) out.push(`${at}.id: required (a kebab-case rule id)`);
  if (!Platform.safeParse(rule['platform']).success)
    out.push(`${at}.platform: must be one of ${Platform.options.join(', ')}`);
  const fixed = rule['appId'] !== undefined;
  if (fixed && (typeof rule['appId'] !== 'string' || rule['appId'].length === 0))
    out.push(`${at}.appId: must be a non-empty string`);
  const problem = compiles(rule['pattern'], fixed ? undefined : 'app');
  if (problem)
    out.push(`${at}.pattern: ${problem}${!fixed && problem.startsWith('needs') ? ', or a fixed appId' : ''}`);
  if (rule['literal'] !== undefined && typeof rule['literal'] !== 'string') out.push(`${at}.literal: must be a string`);
  return out;
};

/** Problems with a plugin's data (not its code), each naming the field. Empty when it is sound. */
export function pluginDataProblems(plugin: Plugin): string[] {
  const out: string[] = [];
  const codes = plugin.meta.diagnostics;
  if (codes !== undefined) {
    if (!codes || typeof codes !== 'object') out.push('meta.diagnostics: must map codes to message templates');
    else {
      for (const [code, template] of Object.entries(codes)) {
        if (!PluginCode.safeParse(code).success)
          out.push(`meta.diagnostics.${code}: codes are SCREAMING_SNAKE, e.g. ACME_TRUNCATED`);
        if (typeof template !== 'string' || template.length === 0)
          out.push(`meta.diagnostics.${code}: the message template must be a non-empty string`);
      }
    }
  }
  const reasonCodes = plugin.meta.reasons;
  if (reasonCodes !== undefined) {
    if (!reasonCodes || typeof reasonCodes !== 'object')
      out.push('meta.reasons: must map reason codes to message templates');
    else {
      for (const [code, template] of Object.entries(reasonCodes)) {
        if (!PluginCode.safeParse(code).success)
          out.push(`meta.reasons.${code}: codes are SCREAMING_SNAKE, e.g. ACME_MAGIC`);
        if (typeof template !== 'string' || template.length === 0)
          out.push(`meta.reasons.${code}: the message template must be a non-empty string`);
      }
    }
  }
  if (plugin.kind === 'detector') {
    if (!Array.isArray(plugin.meta.formats) || plugin.meta.formats.length === 0)
      out.push('meta.formats: declare every format the detector may report');
    else {
      plugin.meta.formats.forEach((f, i) => {
        const checked = FormatDeclarationSchema.safeParse(f);
        if (!checked.success) out.push(`meta.formats[${i}].${firstIssue(checked.error)}`);
      });
    }
    (plugin.signatures ?? []).forEach((s, i) => {
      const checked = SignatureSchema.safeParse(s);
      if (!checked.success)
        out.push(`signatures[${i}]${checked.error.issues[0]?.path.length ? '.' : ': '}${firstIssue(checked.error)}`);
    });
  }
  if (plugin.kind === 'parser' && (!Array.isArray(plugin.meta.formats) || plugin.meta.formats.length === 0)) {
    out.push("meta.formats: list the format ids the parser reads ('*' for every format)");
  }
  if (plugin.kind === 'app-rules') {
    plugin.rules.forEach((r, i) =>
      out.push(...appPathRuleProblems(r as unknown as Record<string, unknown>, `rules[${i}]`)),
    );
    (plugin.containerMetadata ?? []).forEach((r, i) => {
      const problem = compiles(r.container, 'container');
      if (problem) out.push(`containerMetadata[${i}].container: ${problem}`);
      if (typeof r.resolve !== 'function') out.push(`containerMetadata[${i}].resolve: must be a function`);
    });
    (plugin.packageLists ?? []).forEach((r, i) => {
      const problem = compiles(r.pattern);
      if (problem) out.push(`packageLists[${i}].pattern: ${problem}`);
      if (typeof r.read !== 'function') out.push(`packageLists[${i}].read: must be a function`);
    });
  }
  return out;
}

/**
 * Why a detection breaks the detector's declarations, or undefined: its
 * format must be in `meta.formats`, with the declared status. A detector with
 * a `how: 'library'` format (a wrapped library that names many formats) may
 * report undeclared ones.
 */
export function undeclaredFormat(
  detector: { meta: { id: string; formats: readonly { id: string; status: string; how: string }[] } },
  detection: Pick<Detection, 'format' | 'status'>,
): string | undefined {
  const decl = detector.meta.formats.find((f) => f.id === detection.format.id);
  if (!decl) {
    return detector.meta.formats.some((f) => f.how === 'library')
      ? undefined
      : `detector ${detector.meta.id} reported format "${detection.format.id}", which its meta.formats does not declare`;
  }
  if (decl.status !== detection.status)
    return `detector ${detector.meta.id} reported format "${detection.format.id}" as ${detection.status}, but meta.formats declares it ${decl.status}`;
  return undefined;
}

/**
 * Checks a detection against the detector's declarations and fills reason
 * messages from `meta.reasons` templates (with the reason's figures): the
 * format must be declared with its status; when `meta.reasons` is declared,
 * every reason code must be in it; a reason without a message needs a
 * template whose placeholders its figures fill.
 */
export function checkDetection(
  detector: {
    meta: {
      id: string;
      formats: readonly { id: string; status: string; how: string }[];
      reasons?: Record<string, string>;
    };
  },
  detection: Detection,
): { ok: true; detection: Detection } | { ok: false; message: string } {
  const format = undeclaredFormat(detector, detection);
  if (format) return { ok: false, message: format };
  const declared = detector.meta.reasons;
  const id = detector.meta.id;
  let reasons = detection.reasons;
  for (const [i, r] of detection.reasons.entries()) {
    const template = declared?.[r.code];
    if (declared && template === undefined)
      return { ok: false, message: `detector ${id} gave reason ${r.code}, which its meta.reasons does not declare` };
    if (r.message !== undefined) continue;
    if (template === undefined)
      return {
        ok: false,
        message: `detector ${id} gave reason ${r.code} without a message (give one, or declare a template in meta.reasons)`,
      };
    const figures = r.figures ?? {};
    const missing = placeholders(template).filter((p) => !(p in figures) || figures[p] === null);
    if (missing.length > 0)
      return {
        ok: false,
        message: `detector ${id} gave reason ${r.code} without figures for {${missing.join('}, {')}} in its template "${template}"`,
      };
    if (reasons === detection.reasons) reasons = [...detection.reasons];
    reasons[i] = { ...r, message: fillTemplate(template, figures) };
  }
  return { ok: true, detection: reasons === detection.reasons ? detection : { ...detection, reasons } };
}

/** Placeholders (`{reason}`) of a template. */
function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!);
}

/** Fills `{name}` placeholders from data. */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number | boolean>>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    name in data ? String(data[name]) : whole,
  );
}

export type DiagnosticVerdict =
  | { ok: true; diagnostic: Diagnostic & { message: string } }
  | { ok: false; code: 'PLUGIN_BAD_DIAGNOSTIC' | 'PLUGIN_UNDECLARED_DIAGNOSTIC'; message: string };

/**
 * Checks a reported diagnostic: its shape, that `meta.diagnostics` declares
 * its code, and its message: given, or filled from the declared template with
 * `data` (every placeholder needs a value).
 */
export function checkDiagnostic(
  plugin: { meta: { id: string; diagnostics?: Record<string, string> } },
  reported: unknown,
): DiagnosticVerdict {
  const id = plugin.meta.id;
  const shape = DiagnosticSchema.safeParse(reported);
  if (!shape.success)
    return {
      ok: false,
      code: 'PLUGIN_BAD_DIAGNOSTIC',
      message: `parser ${id} reported a diagnostic that fails the contract: ${firstIssue(shape.error)}`,
    };
  const d = shape.data;
  const template = plugin.meta.diagnostics?.[d.code];
  if (template === undefined) {
    return {
      ok: false,
      code: 'PLUGIN_UNDECLARED_DIAGNOSTIC',
      message: `parser ${id} reported ${d.code}, which its meta.diagnostics does not declare${d.message ? `: ${d.message}` : ''}`,
    };
  }
  if (d.message !== undefined)
    return { ok: true, diagnostic: { code: d.code, severity: d.severity, message: d.message } };
  const data = d.data ?? {};
  const missing = placeholders(template).filter((p) => !(p in data));
  if (missing.length > 0) {
    return {
      ok: false,
      code: 'PLUGIN_BAD_DIAGNOSTIC',
      message: `parser ${id} reported ${d.code} without data for {${missing.join('}, {')}} in its template "${template}"`,
    };
  }
  return { ok: true, diagnostic: { code: d.code, severity: d.severity, message: fillTemplate(template, data) } };
}
