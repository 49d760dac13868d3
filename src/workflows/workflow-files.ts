import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { parseDefinition } from '../definition/parse-definition';
import { ValidationError } from '../lib/errors';
import { sha256Hex } from '../lib/secrets';
import { definitionReferences } from './definition-references';
import { canonicalJson } from '../lib/canonical-json';
import { WorkflowFilesError, type WorkflowFileProblem } from './workflow-files-error';

export interface LoadedWorkflowFile {
  /** Relative to the working directory, as problems name it. */
  file: string;
  /** The definition as written, which is what gets stored. */
  raw: unknown;
  definition: WorkflowDefinition;
  /** SHA-256 of the canonical JSON of `raw`: a reformatted file or a new comment is not a change. */
  checksum: string;
}

const EXTENSIONS = new Set(['.json', '.yaml', '.yml']);

/** The first line of a YAML error; the rest is a picture of the source that only a terminal shows well. */
const firstLine = (message: string): string => (message.split('\n')[0] ?? message).replace(/:$/, '');

function parseText(text: string, extension: string): unknown {
  if (extension === '.json') return JSON.parse(text) as unknown;
  const document = YAML.parseDocument(text);
  const error = document.errors[0];
  if (error) throw new Error(firstLine(error.message));
  return document.toJS() as unknown;
}

async function listFiles(dir: string): Promise<string[] | null> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export interface WorkflowFilesCheck {
  /** False when the directory does not exist. */
  found: boolean;
  files: LoadedWorkflowFile[];
  problems: WorkflowFileProblem[];
}

/** Reads and validates every workflow file of `dir` (not recursive, in name order) and reports rather than throws. */
export async function checkWorkflowFiles(dir: string): Promise<WorkflowFilesCheck> {
  const names = await listFiles(dir);
  const files: LoadedWorkflowFile[] = [];
  const problems: WorkflowFileProblem[] = [];
  const fileById = new Map<string, string>();
  for (const name of names ?? []) {
    const file = path.relative(process.cwd(), path.resolve(dir, name)) || name;
    let raw: unknown;
    try {
      raw = parseText(await readFile(path.join(dir, name), 'utf8'), path.extname(name).toLowerCase());
    } catch (error) {
      problems.push({
        file,
        path: '',
        message: `not valid ${path.extname(name).slice(1).toUpperCase()}: ${(error as Error).message}`,
      });
      continue;
    }
    try {
      const definition = parseDefinition(raw, { references: definitionReferences() });
      const other = fileById.get(definition.id);
      if (other) {
        problems.push({ file, path: 'id', message: `'${definition.id}' is also the id of ${other}` });
        continue;
      }
      fileById.set(definition.id, file);
      files.push({ file, raw, definition, checksum: sha256Hex(canonicalJson(raw)) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.issues.map((issue) => ({ file, ...issue })));
    }
  }
  return { found: names !== null, files, problems };
}

/**
 * The workflow files of `dir` (`*.json`, `*.yaml`, `*.yml`, not recursive, in name order), each
 * parsed and validated. Throws one WorkflowFilesError naming every problem of every file; a
 * missing directory is no workflows at all.
 */
export async function loadWorkflowFiles(dir: string): Promise<LoadedWorkflowFile[]> {
  const { files, problems } = await checkWorkflowFiles(dir);
  if (problems.length > 0) throw new WorkflowFilesError(problems);
  return files;
}
