import path from 'node:path';
import Handlebars from 'handlebars';
import YAML from 'yaml';
import { z } from 'zod';
import { assertTemplateCompiles } from '../templating/template';
import { staticLimitProblem } from '../templating/template-static-limits';
import type { Logger } from '../lib/logger';
import { TEMPLATE_NAME, readTemplateFiles, type TemplateFile, type TemplateFiles } from './template-files';
import { missingPartial } from './template-partials';

export { TEMPLATE_NAME };
export type TemplateKind = 'email' | 'sms';

export interface EmailTemplate {
  name: string;
  subject: string;
  html: string;
  /** The text part's template; null: derived from the HTML. */
  text: string | null;
  /** The layout's source, with `{{{body}}}`; null: none. */
  layout: string | null;
}

export interface SmsTemplate {
  name: string;
  body: string;
}

export const DEFAULT_LAYOUT = 'email';

const frontMatterSchema = z.strictObject({
  subject: z
    .string({
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be text (quote it when it starts with {{)'),
    })
    .min(1, 'must not be empty'),
  text: z.string().optional(),
  /** A layout of `layouts/`, or false for none. Default: `email` when `layouts/email.hbs` exists. */
  layout: z.union([z.string().regex(TEMPLATE_NAME), z.literal(false)]).optional(),
  description: z.string().optional(),
});

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * Why `source` cannot be used: it does not compile (Handlebars parse errors carry a picture of the
 * source on lines 2-3; keep the words), or its loops can only exceed the render bounds.
 */
function compileError(source: string): string | null {
  try {
    assertTemplateCompiles(source);
  } catch (error) {
    const lines = (error instanceof Error ? error.message : String(error)).split('\n');
    const words = (lines.length >= 4 ? [lines[0], ...lines.slice(3)] : lines)
      .map((line) => line?.trim())
      .filter(Boolean);
    return `does not compile: ${words.join(' ')}`;
  }
  const problem = staticLimitProblem(Handlebars.parse(source));
  return problem === null ? null : `too costly: ${problem}`;
}

function splitFrontMatter(source: string): { data: z.infer<typeof frontMatterSchema>; body: string } | string {
  const match = FRONT_MATTER.exec(source);
  if (!match) return 'needs YAML front matter with a subject (--- subject: … ---)';
  let data: unknown;
  try {
    data = YAML.parse(match[1]!, { logLevel: 'error' }); // errors throw; warnings are not printed
  } catch (error) {
    return `front matter is not valid YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
  }
  const parsed = frontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return issue.path.length
      ? `front matter '${issue.path.join('.')}' ${issue.message}`
      : `front matter: ${issue.message}`;
  }
  return { data: parsed.data, body: source.slice(match[0].length) };
}

/**
 * The message templates of one folder (TEMPLATES_DIR), read and checked once per process. A template
 * that cannot be used (does not compile, lacks a subject, calls a missing partial or layout) is kept
 * as a problem: a workflow that names it fails validation with that reason; others are unaffected.
 */
export class TemplateStore {
  private readonly emails = new Map<string, EmailTemplate>();
  private readonly smses = new Map<string, SmsTemplate>();
  private readonly problems = new Map<string, string>();
  readonly partials: Readonly<Record<string, string>>;
  private readonly layouts = new Map<string, string>();

  /** `dir` as messages show it (`templates/`); `files` null: the folder does not exist. */
  constructor(
    readonly dir: string,
    files: TemplateFiles | null,
  ) {
    const partials: Record<string, string> = {};
    for (const [name, file] of files?.partials ?? []) {
      const error = compileError(file.source);
      if (error) this.problems.set(`partial:${name}`, `${file.file}: ${error}`);
      else partials[name] = file.source;
    }
    this.partials = partials;
    for (const [name, file] of files?.layouts ?? []) {
      const error = compileError(file.source) ?? this.partialProblem([file.source]);
      if (error) this.problems.set(`layout:${name}`, `${file.file}: ${error}`);
      else this.layouts.set(name, file.source);
    }
    for (const [name, file] of files?.email ?? []) this.addEmail(name, file, files?.emailText.get(name));
    for (const [name, file] of files?.sms ?? []) {
      const body = file.source.replace(/\r?\n$/, '');
      const error = compileError(body) ?? this.partialProblem([body]);
      if (error) this.problems.set(`sms:${name}`, `${file.file}: ${error}`);
      else this.smses.set(name, { name, body });
    }
  }

  private addEmail(name: string, file: TemplateFile, textFile: TemplateFile | undefined): void {
    const fail = (message: string) => this.problems.set(`email:${name}`, `${file.file}: ${message}`);
    const split = splitFrontMatter(file.source);
    if (typeof split === 'string') return void fail(split);
    const text = textFile?.source ?? split.data.text ?? null;
    const parts: [string, string][] = [
      ['subject', split.data.subject],
      ['html', split.body],
    ];
    if (text !== null) parts.push([textFile ? textFile.file : 'text', text]);
    for (const [part, source] of parts) {
      const error = compileError(source);
      if (error) return void fail(`${part} ${error}`);
    }
    const partialError = this.partialProblem(parts.map(([, source]) => source));
    if (partialError) return void fail(partialError);
    const hasDefault = this.layouts.has(DEFAULT_LAYOUT) || this.problems.has(`layout:${DEFAULT_LAYOUT}`);
    const layoutName = split.data.layout ?? (hasDefault ? DEFAULT_LAYOUT : false);
    let layout: string | null = null;
    if (layoutName !== false) {
      const issue = this.layoutIssue(layoutName);
      if (issue) return void fail(issue);
      layout = this.layouts.get(layoutName)!;
    }
    this.emails.set(name, { name, subject: split.data.subject, html: split.body, text, layout });
  }

  /** Why `sources` cannot render with this folder's partials, or null. Sources must compile. */
  partialProblem(sources: readonly string[]): string | null {
    const missing = missingPartial(sources, this.partials);
    if (missing === null) return null;
    const broken = this.problems.get(`partial:${missing}`);
    return broken
      ? `uses partial '${missing}': ${broken}`
      : `uses partial '${missing}', which is not in ${this.dir}partials/`;
  }

  /** Why layout `name` cannot be used, or null. */
  layoutIssue(name: string): string | null {
    if (this.layouts.has(name)) return null;
    return this.problems.get(`layout:${name}`) ?? `no layout '${name}' in ${this.dir}layouts/`;
  }

  layout(name: string): string | undefined {
    return this.layouts.get(name);
  }

  email(name: string): EmailTemplate | undefined {
    return this.emails.get(name);
  }

  sms(name: string): SmsTemplate | undefined {
    return this.smses.get(name);
  }

  /** The usable templates, by name within each channel (for the builder's pickers). */
  list(): { name: string; channel: TemplateKind; subject?: string }[] {
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    return [
      ...[...this.emails.values()]
        .sort(byName)
        .map((t) => ({ name: t.name, channel: 'email' as const, subject: t.subject })),
      ...[...this.smses.values()].sort(byName).map((t) => ({ name: t.name, channel: 'sms' as const })),
    ];
  }

  /** Why a step cannot use the `kind` template `name`, or null when it can. */
  issue(kind: TemplateKind, name: string): string | null {
    if ((kind === 'email' ? this.emails : this.smses).has(name)) return null;
    const problem = this.problems.get(`${kind}:${name}`);
    if (problem) return `${kind} template '${name}' cannot be used: ${problem}`;
    return `no ${kind} template '${name}' in ${this.dir}`;
  }

  summary(): { email: number; sms: number; partials: number; layouts: number; problems: string[] } {
    return {
      email: this.emails.size,
      sms: this.smses.size,
      partials: Object.keys(this.partials).length,
      layouts: this.layouts.size,
      problems: [...this.problems.values()],
    };
  }
}

const displayDir = (dir: string): string => `${path.relative(process.cwd(), path.resolve(dir)) || '.'}/`;

/** Reads and checks a templates folder (a missing folder is an empty store). */
export async function readTemplates(dir: string): Promise<TemplateStore> {
  return new TemplateStore(displayDir(dir), await readTemplateFiles(dir));
}

let current = new TemplateStore('templates/', null);

/**
 * Reads `dir` and makes it the process's templates: main.ts calls this at boot, before workflows load.
 * With a logger, says what was found and warns about each template that cannot be used.
 */
export async function loadTemplates(dir: string, logger?: Logger): Promise<TemplateStore> {
  current = await readTemplates(dir);
  if (logger) {
    const { problems, ...counts } = current.summary();
    logger.info({ dir, ...counts }, 'message templates loaded');
    for (const problem of problems) logger.warn({ problem }, 'message template cannot be used');
  }
  return current;
}

/** The templates loaded at boot (an empty store before loadTemplates). */
export function currentTemplates(): TemplateStore {
  return current;
}
