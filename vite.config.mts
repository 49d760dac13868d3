import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The client-side islands, each built on its own into dist/client with a fixed file name (pages link
 * them by name) and no inline script or style (every CSP here allows `'self'` only):
 * - `builder`: the console's workflow builder (React), served at /app/assets/client/builder.{js,css};
 * - `booking`: the public booking widget (plain DOM, small: contacts open it on phones), /assets/client/booking.js;
 * - `embed`: /embed.js, the popup button other sites load (a classic script, hence an IIFE).
 * One island per `vite build`, chosen by CLIENT_ISLAND (default `builder`): Rollup refuses
 * `inlineDynamicImports` with several inputs. `scripts/build-client.mjs` builds them all, the
 * builder first (it empties the folder). BUILDER_OUT_DIR lets the test setup build beside the live
 * bundle and swap it in.
 */
const ISLANDS = {
  builder: { entry: 'src/console/client/builder/main.tsx', format: 'es', react: true },
  booking: { entry: 'src/http/client/booking/main.ts', format: 'es', react: false },
  embed: { entry: 'src/http/client/embed/embed.ts', format: 'iife', react: false },
} as const;

type IslandName = keyof typeof ISLANDS;
const name = (process.env.CLIENT_ISLAND ?? 'builder') as IslandName;
const island = ISLANDS[name];
if (!island) throw new Error(`CLIENT_ISLAND must be one of ${Object.keys(ISLANDS).join(', ')}`);

const config: UserConfig = {
  plugins: island.react ? [react()] : [],
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: process.env.BUILDER_OUT_DIR ?? 'dist/client',
    emptyOutDir: name === 'builder',
    target: 'es2022',
    sourcemap: false,
    // The builder bundles React, xyflow, elkjs and CodeMirror: large, but one file fetched once.
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: 0,
    rollupOptions: {
      // zod's sources carry comments Rollup cannot place; harmless, and not ours to fix.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
      input: { [name]: island.entry },
      output: {
        format: island.format,
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-chunk.js',
        assetFileNames: '[name][extname]',
        inlineDynamicImports: true,
      },
    },
  },
};

export default defineConfig(config);
