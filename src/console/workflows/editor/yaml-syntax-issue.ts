import type { LineCounter, YAMLError } from 'yaml';

/** One YAML syntax error as the editor shows it: where, what, and what usually causes it. */
export interface YamlSyntaxIssue {
  path: '';
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** What a marketer most likely did, by the parser's error code. */
const HINTS: Partial<Record<YAMLError['code'], string>> = {
  BAD_INDENT: 'check the indentation of this line and the lines above',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTILINE_IMPLICIT_KEY: "a line above may lack the ':' after its key",
  BLOCK_AS_IMPLICIT_KEY: "a value may hold a ':' followed by a space: put it in quotes",
  DUPLICATE_KEY: 'the same key is written twice in one place',
};

function hintFor(error: YAMLError): string | undefined {
  if (error.code === 'MISSING_CHAR' && /quote/i.test(error.message)) return 'a quote is opened and never closed';
  if (error.code === 'MISSING_CHAR' && /indicator/.test(error.message))
    return 'check the indentation of this line and the lines above';
  return HINTS[error.code];
}

/**
 * The parser reports an unclosed quote where the text ends; the quote was opened on the first line
 * holding an odd number of that quote character. Null when no line does (a quote spanning lines).
 */
function openingQuote(source: string, quote: string): { line: number; col: number } | null {
  const lines = source.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index]!;
    if (text.split(quote).length % 2 === 0) return { line: index + 1, col: text.indexOf(quote) + 1 };
  }
  return null;
}

/**
 * The first syntax error of a YAML text, alone. One typo makes the parser lose its footing and report
 * every line after it (a misplaced indent gave 21 messages, a tab 41); the first is the one to fix,
 * and the checks of the definition only run once the text parses.
 */
export function firstSyntaxIssue(
  source: string,
  errors: readonly YAMLError[],
  lineCounter: LineCounter,
): YamlSyntaxIssue | null {
  const error = errors[0];
  if (!error) return null;
  const quote = error.code === 'MISSING_CHAR' ? /closing (["'])/.exec(error.message)?.[1] : undefined;
  const { line, col } = (quote && openingQuote(source, quote)) || lineCounter.linePos(error.pos[0]);
  const hint = hintFor(error);
  const what = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  return {
    path: '',
    message: `YAML syntax error at line ${line}, column ${col}: ${what}${hint ? ` (${hint})` : ''}`,
    line,
    column: col,
  };
}
