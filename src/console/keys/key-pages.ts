import { Router, type Request, type Response } from 'express';
import { createApiKeyFor, listApiKeys, revokeApiKey } from '../../accounts/api-key-service';
import type { CreatedApiKey } from '../../accounts/api-key-schema';
import type { Container } from '../../container';
import { getSession } from '../session/session-middleware';
import { formText } from '../views/form-values';
import { sendPage } from '../views/layout';

const KEYS_VIEW = `<h1>API keys</h1>
{{#if created}}<section class="card" role="status">
<h2>New key “{{created.name}}”</h2>
<p>Copy it now: it is shown this once, and only its fingerprint is kept.</p>
<p><code id="new-key">{{created.key}}</code></p>
</section>{{/if}}
<div class="table-scroll"><table class="keys"><thead>
<tr><th>Name</th><th>Key</th><th>Scope</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr>
</thead><tbody>
{{#each keys}}<tr data-key-id="{{id}}">
<td>{{name}}{{#if current}} <span class="muted">(this session)</span>{{/if}}</td>
<td>{{#if prefix}}<code>{{prefix}}…</code>{{else}}<span class="muted">—</span>{{/if}}</td>
<td>{{scope}}</td><td>{{time createdAt}}</td>
<td>{{#if lastUsedAt}}{{time lastUsedAt}}{{else}}<span class="muted">never</span>{{/if}}</td>
<td>{{#if revokedAt}}<span class="status status-revoked">revoked {{time revokedAt}}</span>
{{else}}<span class="status status-active">active</span>{{/if}}</td>
<td>{{#unless revokedAt}}<form method="post" action="/app/keys/{{id}}/revoke"
data-confirm="Revoke this key? Whatever uses it is refused from now on.">{{> csrf}}
<button type="submit" class="danger">Revoke</button></form>{{/unless}}</td>
</tr>{{/each}}
</tbody></table></div>
<form method="post" action="/app/keys" class="card row">
{{> csrf}}
<label for="name">New key named</label>
<input type="text" id="name" name="name" maxlength="100" required placeholder="what uses it, e.g. Zapier">
{{#if admin}}<label><input type="checkbox" name="admin" value="on"> admin (may create accounts)</label>{{/if}}
<button type="submit">Create key</button>
</form>
<p class="muted">“Last used” is updated at most once a minute. The account's last active key cannot be revoked.</p>`;

/** The account's API keys: list, create (shown once), revoke. */
export function keyPages(c: Container): Router {
  const router = Router();

  const show = async (
    req: Request,
    res: Response,
    options: { created?: CreatedApiKey; status?: number } = {},
  ): Promise<void> => {
    const session = getSession(res);
    const keys = await listApiKeys(c.db.manager, session.accountId);
    sendPage(res, {
      title: 'API keys',
      section: 'keys',
      view: KEYS_VIEW,
      req,
      status: options.status,
      data: {
        keys: keys.map((key) => ({ ...key, current: key.id === session.apiKeyId })),
        created: options.created,
        admin: session.scope === 'admin',
      },
    });
  };

  router.get('/keys', async (req, res) => show(req, res));

  /** Answers the page itself (not a redirect): the new key must not travel in a URL. */
  router.post('/keys', async (req, res) => {
    const session = getSession(res);
    const input = { name: formText(req, 'name'), admin: formText(req, 'admin') === 'on' ? true : undefined };
    const created = await c.db.transaction((tx) => createApiKeyFor(tx, session, input));
    c.logger.info(
      { accountId: session.accountId, keyId: created.id, scope: created.scope, sessionId: session.id },
      'api key created from the console',
    );
    await show(req, res, { created, status: 201 });
  });

  /** Revoking the key this session signed in with ends the session too: back to the sign-in page. */
  router.post('/keys/:id/revoke', async (req, res) => {
    const session = getSession(res);
    const revoked = await c.db.transaction((tx) =>
      revokeApiKey(tx, { accountId: session.accountId, keyId: req.params.id }),
    );
    c.logger.info(
      { accountId: session.accountId, keyId: revoked.id, sessionId: session.id },
      'api key revoked from the console',
    );
    res.redirect(303, revoked.id === session.apiKeyId ? '/app/login' : '/app/keys?notice=key-revoked');
  });

  return router;
}
