/* global process */
/**
 * Builds the client-side islands (vite.config.mts) into dist/client (or BUILDER_OUT_DIR), one
 * `vite build` each: `node scripts/build-client.mjs [island…]`, all of them by default. The builder
 * goes first when it is built: it empties the folder. Called by `npm run build` and by jest's global
 * setup (test/global-setup.ts), which rebuilds only the stale ones.
 */
import { build } from 'vite';

const ISLANDS = ['builder', 'booking', 'embed'];

const asked = process.argv.slice(2);
const unknown = asked.filter((island) => !ISLANDS.includes(island));
if (unknown.length > 0) throw new Error(`unknown island(s) ${unknown.join(', ')}: one of ${ISLANDS.join(', ')}`);

for (const island of ISLANDS.filter((name) => asked.length === 0 || asked.includes(name))) {
  // vite.config.mts reads it: the config file is loaded afresh by every build().
  process.env.CLIENT_ISLAND = island;
  await build({ configFile: 'vite.config.mts' });
}
