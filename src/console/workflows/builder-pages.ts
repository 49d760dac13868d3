import { Router } from 'express';
import type { Container } from '../../container';
import { getWorkflow } from '../../workflows/workflow-repository';
import { CLIENT_ASSETS_PATH } from '../assets/client-bundle';
import { getSession } from '../session/session-middleware';
import { sendPage } from '../views/layout';
import { runsAtSteps } from './workflow-stats';

/**
 * The builder's page: a mount element for the client-side island (src/console/client/builder) and
 * the definition as JSON in a script block the browser never runs (the CSP allows no inline script
 * anyway), with the live runs at each step (a badge on its card). `<` is escaped so no value can close that block early.
 */
const BUILDER_VIEW = `<div class="builder-page">
<h1>{{heading}}</h1>
<div id="builder" data-csrf="{{csrf}}" data-workflow-id="{{workflowId}}" data-status="{{status}}">
<p class="builder-fallback muted">Loading the builder… It needs JavaScript; the <a href="{{yamlHref}}">YAML editor</a> works without.</p>
</div>
<script type="application/json" id="builder-definition">{{{definitionJson}}}</script>
<script type="application/json" id="builder-runs">{{{runsJson}}}</script>
<link rel="stylesheet" href="/app${CLIENT_ASSETS_PATH}/builder.css">
<script type="module" src="/app${CLIENT_ASSETS_PATH}/builder.js"></script>
</div>`;

const jsonForScript = (value: unknown): string =>
  JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

/** `GET /app/workflows/new` and `GET /app/workflows/:id/edit`: the visual builder. */
export function builderPages(c: Container): Router {
  const router = Router();

  router.get('/workflows/new', (req, res) => {
    sendPage(res, {
      title: 'New workflow',
      section: 'workflows',
      view: BUILDER_VIEW,
      req,
      data: {
        heading: 'New workflow',
        workflowId: '',
        status: '',
        definitionJson: 'null',
        runsJson: '{}',
        yamlHref: '/app/workflows/new/yaml',
      },
    });
  });

  router.get('/workflows/:id/edit', async (req, res) => {
    const { accountId } = getSession(res);
    const workflow = await getWorkflow(c.db.manager, accountId, req.params.id);
    sendPage(res, {
      title: `Edit ${workflow.name}`,
      section: 'workflows',
      view: BUILDER_VIEW,
      req,
      data: {
        heading: workflow.name,
        workflowId: workflow.id,
        status: workflow.status,
        definitionJson: jsonForScript(workflow.definition),
        runsJson: jsonForScript(Object.fromEntries(await runsAtSteps(c.db.manager, accountId, workflow.id))),
        yamlHref: `/app/workflows/${workflow.id}#editor`,
      },
    });
  });

  return router;
}
