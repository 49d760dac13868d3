import '@xyflow/react/dist/style.css';
import './builder.css';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { csrfToken } from './api-client';
import { BuilderApp } from './builder-app';
import { EMPTY_DRAFT, toDraft } from './draft';
import { parseRunsAtStep } from './runs-badge';

/**
 * The builder island: the console page renders `#builder` (with the workflow's id and status as data
 * attributes) and the definition as JSON in `#builder-definition`, a script block the browser never
 * runs; this bundle reads both and takes over the element.
 */
function mount(): void {
  // zod would probe for eval (to compile its parsers); the console's CSP forbids it, so don't ask.
  z.config({ jitless: true });
  const element = document.getElementById('builder');
  const data = document.getElementById('builder-definition');
  if (!element) return;
  const runs = document.getElementById('builder-runs');
  const definition: unknown = data?.textContent ? JSON.parse(data.textContent) : null;
  createRoot(element).render(
    <StrictMode>
      <ReactFlowProvider>
        <BuilderApp
          initial={definition ? toDraft(definition) : EMPTY_DRAFT}
          workflowId={element.dataset.workflowId || null}
          savedStatus={
            element.dataset.status === 'active' ? 'active' : element.dataset.status === 'draft' ? 'draft' : null
          }
          csrf={csrfToken(element)}
          runsAtStep={parseRunsAtStep(runs?.textContent ? JSON.parse(runs.textContent) : null)}
        />
      </ReactFlowProvider>
    </StrictMode>,
  );
}

mount();
