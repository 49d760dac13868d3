import type { ParseArgsConfig } from 'node:util';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;
export type CliValues = Record<string, string | boolean | undefined>;

export interface CliOutput {
  /** A line of the command's result, to stdout. */
  print(line: string): void;
  /** A line of diagnostics, to stderr. */
  warn(line: string): void;
}

export interface CliInvocation {
  values: CliValues;
  positionals: string[];
  out: CliOutput;
}

/** One `npm run cli -- <name>` command. */
export interface CliCommand {
  name: string;
  /** One line, shown in the command list. */
  summary: string;
  /** After `npm run cli -- `, e.g. `runs:retry <runId>`. */
  usage: string;
  /** Lines describing each option and argument, shown by `--help`. */
  help: string[];
  options: CliOptions;
  /** How many positional arguments the command takes. Default 0 to 0. */
  positionals?: { min: number; max: number };
  /** Resolves with the exit code; throws a CliUsageError (exit 2) or any other error (exit 1). */
  run(invocation: CliInvocation): Promise<number>;
}

/** Bad usage (unknown option, missing or malformed argument): the message and the usage, exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** An expected failure that is not the caller's syntax (a service down, a database not migrated): exit 1. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
