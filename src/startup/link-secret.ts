import { DEVELOPMENT_LINK_SECRET } from '../config/env';
import type { Container } from '../container';
import type { Db } from '../db/data-source';
import { randomToken } from '../lib/secrets';
import { hasMintedLinkTokens, readStoredLinkSecret, storeLinkSecretOnce } from './link-secret-store';

/**
 * Where the secret of links and unsubscribe links came from:
 * - environment: LINK_SECRET is set (always in production);
 * - stored / generated: this installation's random secret, kept in the database (generated: just now);
 * - legacy-development: the public constant of older versions, kept because links made with it are out.
 */
export type LinkSecretSource = 'environment' | 'stored' | 'generated' | 'legacy-development';

/**
 * The installation's link secret. Without one from the environment, the database decides: the
 * stored secret if there is one; else, on an installation that has already sent links (made with
 * the development constant by an older version), the constant, so they keep working; else a new
 * random secret, stored once for every process and restart.
 */
export async function resolveLinkSecret(
  db: Db,
  options: { fromEnvironment?: string },
): Promise<{ secret: string; source: LinkSecretSource }> {
  if (options.fromEnvironment) return { secret: options.fromEnvironment, source: 'environment' };
  const stored = await readStoredLinkSecret(db.manager);
  if (stored)
    return {
      secret: stored.secret ?? DEVELOPMENT_LINK_SECRET,
      source: stored.secret === null ? 'legacy-development' : 'stored',
    };
  const generated = randomToken(32);
  const candidate = (await hasMintedLinkTokens(db.manager))
    ? ({ source: 'legacy-development', secret: null } as const)
    : ({ source: 'generated', secret: generated } as const);
  await storeLinkSecretOnce(db.manager, candidate);
  const winner = await readStoredLinkSecret(db.manager);
  if (!winner) throw new Error('link_secret row vanished while it was being stored');
  if (winner.secret === null) return { secret: DEVELOPMENT_LINK_SECRET, source: 'legacy-development' };
  return { secret: winner.secret, source: winner.secret === generated ? 'generated' : 'stored' };
}

/**
 * Start-up step, after migrations and before anything mints or reads a token: resolves the link
 * secret into `config.LINK_SECRET` (filled in place, so every holder of the config sees it) and
 * says what it did. An installation on the legacy constant is warned at every start.
 */
export async function applyLinkSecret(c: Pick<Container, 'db' | 'config' | 'logger'>): Promise<LinkSecretSource> {
  const { secret, source } = await resolveLinkSecret(c.db, {
    fromEnvironment: c.config.linkSecretFromEnvironment ? c.config.LINK_SECRET : undefined,
  });
  c.config.LINK_SECRET = secret;
  if (source === 'generated')
    c.logger.info(
      'LINK_SECRET is not set: generated a random link secret for this installation and stored it in the database',
    );
  if (source === 'stored') c.logger.info('LINK_SECRET is not set: using the link secret stored in the database');
  if (source === 'legacy-development') {
    c.logger.warn(
      'LINK_SECRET is not set and this installation already sent links made with the public development secret, so anyone can forge its booking and unsubscribe links: set LINK_SECRET to a random value of 32+ characters (e.g. `openssl rand -base64 32`); links already sent then stop working',
    );
  }
  return source;
}
