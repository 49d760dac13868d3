/**
 * The arrows allowed between the folders of src/, written once. The same picture as
 * docs/architecture.md ("Layers"): layers from the top down; a folder may import its own files, any
 * folder of a lower layer, and the siblings of its own layer that `siblings` names. Every other
 * arrow into src/ is an error, including one into a folder the picture does not name yet.
 *
 * Why this also rules out folder cycles: an allowed arrow never goes up a layer, so a cycle would
 * have to stay inside one layer, and there only `siblings` arrows are allowed, which this file
 * checks to be acyclic when it loads. (test/unit/tooling/lint-rules.test.ts shows a cycle failing.)
 *
 * Run: `npm run lint:deps` (src/), or `npx depcruise --config .dependency-cruiser.cjs <dirs>`.
 */

/**
 * `siblings`: which folders of the same layer each may import, or 'in order' (each may import the
 * ones listed after it).
 * @type {{ name: string, folders: string[], siblings?: Record<string, string[]> | 'in order', note: string }[]}
 */
const LAYERS = [
  {
    name: 'wiring',
    folders: ['main.ts', 'roles'],
    siblings: { 'main.ts': ['roles'] },
    note: 'parse config, wire, start the api and/or worker role: may import anything below',
  },
  {
    name: 'entry points',
    folders: ['http', 'console', 'cli'],
    // The console reuses the API's middleware (error handler, headers); http never mounts the console.
    siblings: { console: ['http'] },
    note: 'the API and public pages, the web console, the command line',
  },
  {
    name: 'domain',
    // In this order, each may import the ones after it (links sit on top of booking, never the other way).
    folders: ['actions', 'links', 'booking', 'triggers', 'contacts', 'workflows', 'messaging', 'accounts'],
    siblings: 'in order',
    note: "the marketer's records and what happens to them",
  },
  {
    name: 'engine',
    folders: ['engine', 'observability'],
    // The step runner counts steps; metrics know nothing of the engine.
    siblings: { engine: ['observability'] },
    note: 'runs, steps, waits, retries; metrics of the process',
  },
  {
    name: 'definition',
    folders: ['definition', 'templating'],
    siblings: { definition: ['templating'] },
    note: 'the workflow definition schema and checks; Handlebars and bounded rendering',
  },
  {
    name: 'infrastructure',
    folders: ['startup', 'events', 'container.ts', 'queue', 'db'],
    siblings: {
      startup: ['container.ts', 'queue', 'db'],
      events: ['container.ts', 'queue', 'db'],
      'container.ts': ['queue', 'db'], // pools and queues only: nothing here knows the domain
      queue: ['db'],
    },
    note: 'the database and its migrations, queues and job catalog, the outbox, boot checks, the container',
  },
  {
    name: 'base',
    folders: ['lib', 'config'],
    siblings: { lib: ['config'] },
    note: 'domain-free helpers; the env schema',
  },
];

/**
 * The client-side islands (bundled by Vite for the browser: the console's builder, the public booking
 * widget and /embed.js) sit above every layer but may import only the pure folders the server shares
 * with them: the definition schema and checks, templating, lib. Nothing on the server imports them.
 */
const ISLANDS = [
  { folder: 'console/client', mayImport: ['definition', 'templating', 'lib'] },
  { folder: 'http/client', mayImport: ['definition', 'templating', 'lib'] },
];
const ISLAND_FOLDERS = ISLANDS.map((island) => island.folder);

/** `roles/worker.ts` serves no HTTP: nothing it reaches may come from these. */
const WORKER_ROLE = 'src/roles/worker.ts';
const NOT_IN_WORKER = ['http', 'console'];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A path regex for folders (`src/engine/…`) and top-level files (`src/main.ts`). */
const under = (folders) =>
  `^src/(${folders.map((f) => (f.endsWith('.ts') ? escapeRegex(f) + '$' : escapeRegex(f) + '/')).join('|')})`;

/** The sibling arrows of a layer, as a map from folder to the siblings it may import. */
function siblingsOf(layer) {
  if (layer.siblings !== 'in order') return layer.siblings ?? {};
  return Object.fromEntries(layer.folders.map((folder, index) => [folder, layer.folders.slice(index + 1)]));
}

function checkSiblingsAcyclic(layer) {
  const state = new Map();
  const visit = (folder, trail) => {
    if (state.get(folder) === 'done') return;
    if (state.get(folder) === 'open')
      throw new Error(`.dependency-cruiser.cjs: sibling cycle ${[...trail, folder].join(' → ')}`);
    state.set(folder, 'open');
    for (const next of siblingsOf(layer)[folder] ?? []) {
      if (!layer.folders.includes(next))
        throw new Error(`.dependency-cruiser.cjs: ${folder} → ${next} is not a sibling in ${layer.name}`);
      visit(next, [...trail, folder]);
    }
    state.set(folder, 'done');
  };
  for (const folder of layer.folders) visit(folder, []);
}

function layerRules() {
  return LAYERS.flatMap((layer, index) => {
    checkSiblingsAcyclic(layer);
    const below = LAYERS.slice(index + 1).flatMap((lower) => lower.folders);
    return layer.folders.map((folder) => {
      const siblings = siblingsOf(layer)[folder] ?? [];
      const allowed = [folder, ...siblings, ...below];
      return {
        name: `layer-${folder.replace(/\.ts$/, '')}`,
        severity: 'error',
        comment: `${folder} (${layer.name}) may import only: ${[...siblings, ...below].join(', ') || 'nothing in src/'}`,
        from: { path: under([folder]) },
        to: { path: '^src/', pathNot: under(allowed) },
      };
    });
  });
}

const ALL_FOLDERS = LAYERS.flatMap((layer) => layer.folders);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules(),
    ...ISLANDS.map((island) => ({
      name: `layer-${island.folder.replace('/', '-')}`,
      severity: 'error',
      comment: `${island.folder} (browser islands) may import only: ${island.mayImport.join(', ')}`,
      from: { path: under([island.folder]) },
      to: { path: '^src/', pathNot: under([island.folder, ...island.mayImport]) },
    })),
    {
      name: 'no-server-to-client',
      severity: 'error',
      comment: `${ISLAND_FOLDERS.join(' and ')} are bundled for the browser: no server code imports them`,
      from: { path: '^src/', pathNot: under(ISLAND_FOLDERS) },
      to: { path: under(ISLAND_FOLDERS) },
    },
    {
      name: 'not-in-picture',
      severity: 'error',
      comment: 'every folder of src/ has a place in LAYERS (.dependency-cruiser.cjs): add a new one there first',
      from: { path: '^src/', pathNot: under(ALL_FOLDERS) },
      to: {},
    },
    {
      name: 'worker-role-without-http',
      severity: 'error',
      comment: `the worker role serves no HTTP: ${WORKER_ROLE} must not reach ${NOT_IN_WORKER.join(' or ')}, even through other files`,
      from: { path: `^${escapeRegex(WORKER_ROLE)}$` },
      to: { path: under(NOT_IN_WORKER), reachable: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'no import cycles between files either',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'an import that resolves to nothing',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too: a folder that needs another's types depends on it.
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)node_modules/' },
  },
};
