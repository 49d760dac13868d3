/**
 * One owner per table: SQL lives in the `<table>-store.ts` files of src only, every statement goes
 * through `queryRows` / `execute` of `src/db/sql.ts` (so TypeORM's `[rows, count]` answer to UPDATE
 * and DELETE is never read as rows), and no statement says `SELECT *`. The rule is about where SQL
 * and imports live, not which client runs a statement: a hot-path statement may later go to the pg
 * pool directly, from its table's store.
 *
 * Shared by eslint.config.mjs and test/unit/tooling/lint-rules.test.ts (CommonJS, so that jest's
 * runtime can load it as well as the ES-module config).
 */

const SELECT_STAR_MESSAGE = "Name the columns: a store's row type and its column list go together.";
const QUERY_CALL_MESSAGE = 'Run SQL through queryRows or execute (src/db/sql.ts).';
const STATEMENT_CALL_MESSAGE = "SQL belongs in its table's <table>-store.ts.";

const SELECT_STAR = [
  'Literal[value=/\\b(SELECT\\s+(\\w+\\.)?\\*|RETURNING\\s+\\*)/i]',
  'TemplateElement[value.raw=/\\b(SELECT\\s+(\\w+\\.)?\\*|RETURNING\\s+\\*)/i]',
].map((selector) => ({ selector, message: SELECT_STAR_MESSAGE }));

/** `.query(…)` on anything: `tx.query`, `c.db.query`, `manager.query`, `client.query`, `savepoint.query`. */
const QUERY_CALLS = [
  "CallExpression[callee.type='MemberExpression'][callee.property.name='query']",
  "CallExpression[callee.type='MemberExpression'][callee.property.value='query']",
].map((selector) => ({ selector, message: QUERY_CALL_MESSAGE }));

const STATEMENT_CALLS = [
  { selector: 'CallExpression[callee.name=/^(queryRows|execute)$/]', message: STATEMENT_CALL_MESSAGE },
];

/** Files that may call `.query` themselves; each runs a statement on no table of the domain. */
const QUERY_ALLOWED = [
  'src/db/**', // the data source, queryRows itself, and migrations (DDL and backfills)
  'src/events/outbox-signal.ts', // LISTEN on a pg Client of its own: a connection command, no rows
  'src/http/routes/health.ts', // `SELECT 1`: the liveness probe asks the pool, not a table
  'src/cli/cli-services.ts', // `to_regclass('runs')`: whether the schema exists at all
  'src/observability/state-metrics.ts', // counts rows of many tables for /metrics; sits below the domain, imports no store
];

/** Flat-config entries. For one rule the last matching entry wins, so each entry repeats the ones before it. */
function tableStores(queryAllowed = QUERY_ALLOWED) {
  return [
    { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...SELECT_STAR] } },
    {
      files: ['src/**/*.ts'],
      ignores: queryAllowed,
      rules: { 'no-restricted-syntax': ['error', ...SELECT_STAR, ...QUERY_CALLS] },
    },
    {
      files: ['src/**/*.ts'],
      ignores: [...queryAllowed, 'src/**/*-store.ts'],
      rules: { 'no-restricted-syntax': ['error', ...SELECT_STAR, ...QUERY_CALLS, ...STATEMENT_CALLS] },
    },
  ];
}

module.exports = {
  tableStores,
  QUERY_ALLOWED,
  SELECT_STAR_MESSAGE,
  QUERY_CALL_MESSAGE,
  STATEMENT_CALL_MESSAGE,
};
