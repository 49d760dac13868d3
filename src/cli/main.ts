/**
 * The operator's command line: `npm run cli -- <command> [options]`. Commands read the same
 * environment as the server and connect to PostgreSQL and Redis themselves; no server needs to run.
 * Exit codes: 0 success, 1 failure (not found, refused, a service unreachable), 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { AppError, ValidationError } from '../lib/errors';
import { CliFailure, CliUsageError, EXIT, type CliCommand, type CliOutput } from './cli-command';
import { accountsCreateCommand } from './commands/account-commands';
import { keysCreateCommand, keysListCommand, keysRevokeCommand } from './commands/key-commands';
import { linksCreateCommand } from './commands/link-commands';
import { runsRetryCommand } from './commands/run-commands';
import { workflowsCheckCommand } from './commands/workflow-commands';

export const COMMANDS: readonly CliCommand[] = [
  accountsCreateCommand,
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  workflowsCheckCommand,
  runsRetryCommand,
  linksCreateCommand,
];

const PROGRAM = 'npm run cli --';

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `\`${PROGRAM} <command> --help\` shows a command's options.`,
    "Commands read the server's environment (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, PUBLIC_URL, LINK_SECRET…).",
    'Exit codes: 0 success, 1 failure (not found, refused, service unreachable), 2 bad usage.',
  ].join('\n');
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: ${PROGRAM} ${command.usage}`,
    '',
    command.summary,
    '',
    ...command.help.map((line) => `  ${line}`),
  ].join('\n');
}

const consoleOutput: CliOutput = { print: (line) => console.log(line), warn: (line) => console.error(line) };

/** Runs one command line (without the program name); resolves with the exit code. */
export async function runCli(argv: readonly string[], out: CliOutput = consoleOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = name === 'help' ? COMMANDS.find((candidate) => candidate.name === rest[0]) : undefined;
    out.print(command ? commandHelp(command) : generalHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    out.warn(`error: unknown command '${name}'\n\n${generalHelp()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out.print(commandHelp(command));
    return EXIT.ok;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    return await command.run({ values, positionals, out });
  } catch (error) {
    return report(command, error, out);
  }
}

function parseCommandArgs(command: CliCommand, args: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown options and missing values.
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min) throw new CliUsageError('missing argument');
  if (parsed.positionals.length > max) throw new CliUsageError(`unexpected argument '${parsed.positionals[max]}'`);
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

function report(command: CliCommand, error: unknown, out: CliOutput): number {
  if (error instanceof CliUsageError || error instanceof ValidationError) {
    out.warn(`error: ${error.message}\nusage: ${PROGRAM} ${command.usage}  (--help for details)`);
    return EXIT.usage;
  }
  if (error instanceof AppError || error instanceof CliFailure) {
    out.warn(`error: ${error.message}`);
    return EXIT.failure;
  }
  out.warn(
    `error: ${command.name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return EXIT.failure;
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Every connection is closed by now; this only guards against a handle someone forgot.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}
