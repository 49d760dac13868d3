import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { TEMPLATE_NAME } from '../definition/steps/template-name';

export { TEMPLATE_NAME };

export interface TemplateFile {
  /** Relative to the working directory, for messages. */
  file: string;
  source: string;
}

/**
 * The files of a templates folder, by convention:
 * - `<name>.email.hbs`: an email's HTML, with YAML front matter (`subject:`, optional `text:`, `layout:`);
 * - `<name>.email.txt.hbs`: that email's text part (else the front matter's `text`, else derived from the HTML);
 * - `<name>.sms.hbs`: an SMS body;
 * - `partials/<name>.hbs`: partials, `{{> name}}`;
 * - `layouts/<name>.hbs`: email layouts around `{{{body}}}`; `layouts/email.hbs` is the default.
 * Other files are ignored.
 */
export interface TemplateFiles {
  email: Map<string, TemplateFile>;
  emailText: Map<string, TemplateFile>;
  sms: Map<string, TemplateFile>;
  partials: Map<string, TemplateFile>;
  layouts: Map<string, TemplateFile>;
}

const ROOT_FILE = /^(.+)\.(email|email\.txt|sms)\.hbs$/;

async function fileNames(dir: string): Promise<string[] | null> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

async function readEntry(dir: string, name: string): Promise<TemplateFile> {
  const full = path.resolve(dir, name);
  return { file: path.relative(process.cwd(), full) || name, source: await readFile(full, 'utf8') };
}

async function readFolder(dir: string): Promise<Map<string, TemplateFile>> {
  const found = new Map<string, TemplateFile>();
  for (const name of (await fileNames(dir)) ?? []) {
    const base = name.endsWith('.hbs') ? name.slice(0, -4) : null;
    if (base !== null && TEMPLATE_NAME.test(base)) found.set(base, await readEntry(dir, name));
  }
  return found;
}

/** Reads every template file of `dir`; null when the folder does not exist. */
export async function readTemplateFiles(dir: string): Promise<TemplateFiles | null> {
  const names = await fileNames(dir);
  if (names === null) return null;
  const files: TemplateFiles = {
    email: new Map(),
    emailText: new Map(),
    sms: new Map(),
    partials: await readFolder(path.join(dir, 'partials')),
    layouts: await readFolder(path.join(dir, 'layouts')),
  };
  for (const name of names) {
    const match = ROOT_FILE.exec(name);
    if (!match || !TEMPLATE_NAME.test(match[1]!)) continue;
    const kind = match[2] === 'email' ? files.email : match[2] === 'sms' ? files.sms : files.emailText;
    kind.set(match[1]!, await readEntry(dir, name));
  }
  return files;
}
