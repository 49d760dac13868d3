import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console's client-side islands (today: the workflow builder), built into dist/client and served
 * by the console at /app/assets/client/ (src/console/assets/asset-routes.ts). One entry, fixed file
 * names (the console links them by name), no inline script or style: the console's CSP allows
 * `'self'` only. BUILDER_OUT_DIR lets the test setup build beside the live bundle and swap it in.
 */
export default defineConfig({
  plugins: [react()],
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: process.env.BUILDER_OUT_DIR ?? 'dist/client',
    emptyOutDir: true,
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
      input: { builder: 'src/console/client/builder/main.tsx' },
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-chunk.js',
        assetFileNames: '[name][extname]',
        inlineDynamicImports: true,
      },
    },
  },
});
