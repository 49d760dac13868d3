import express, { type RequestHandler } from 'express';
import path from 'node:path';

/**
 * Where `vite build` (vite.config.mts) writes the console's client-side islands. Three levels up from
 * this file is the project root both from src/ (tsx, tests) and from dist/ (`npm start`).
 */
export const CLIENT_BUNDLE_DIR = path.resolve(__dirname, '../../..', 'dist/client');

/** The URL path the bundle is served under, inside the console (/app). */
export const CLIENT_ASSETS_PATH = '/assets/client';

/**
 * Serves the built islands (builder.js, builder.css) from our own origin, as the CSP requires. Names
 * are fixed (not hashed), so browsers revalidate each time (ETag) instead of caching blindly.
 */
export function clientBundleRoute(): RequestHandler {
  return express.static(CLIENT_BUNDLE_DIR, {
    index: false,
    dotfiles: 'deny',
    fallthrough: true,
    setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
  });
}
