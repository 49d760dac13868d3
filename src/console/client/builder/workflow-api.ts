import { apiRequest } from './api-client';
import type { SavedWorkflow } from './api-client';

/** An item of `GET /api/v1/workflows/:id/versions`. */
export interface VersionSummary {
  version: number;
  createdAt: string;
  source: 'file' | 'api' | null;
  hash: string;
}

const workflowUrl = (workflowId: string) => `/api/v1/workflows/${encodeURIComponent(workflowId)}`;

/** "Test": enrols the contact with this email in the saved version; the run is created by a worker soon after. */
export function startTestRun(workflowId: string, email: string, csrf: string) {
  return apiRequest<{ runId: string; contactId: string }>(`${workflowUrl(workflowId)}/test-runs`, {
    method: 'POST',
    body: { email },
    csrf,
    action: 'Starting the test',
  });
}

const RUN_POLL_MS = 250;
const RUN_POLL_TRIES = 40;

/**
 * Whether the test run exists yet (a worker creates it from the outbox), asked through the runs list
 * so that waiting asks nothing that answers 404. True once it is listed; false after ~10 s.
 */
export async function waitForRun(ids: { workflowId: string; contactId: string; runId: string }): Promise<boolean> {
  const query = new URLSearchParams({
    workflowId: ids.workflowId,
    contactId: ids.contactId,
    test: 'true',
    limit: '20',
  });
  for (let attempt = 0; attempt < RUN_POLL_TRIES; attempt++) {
    const result = await apiRequest<{ items: { id: string }[] }>(`/api/v1/runs?${query.toString()}`, {
      action: 'Looking for the run',
    });
    if (result.ok && result.value.items.some((run) => run.id === ids.runId)) return true;
    await new Promise((resolve) => setTimeout(resolve, RUN_POLL_MS));
  }
  return false;
}

/** The newest versions first (the API's order); the first page is plenty for a builder. */
export function listVersions(workflowId: string) {
  return apiRequest<{ items: VersionSummary[] }>(`${workflowUrl(workflowId)}/versions?limit=100`, {
    action: 'Listing the versions',
  });
}

export function getVersion(workflowId: string, version: number) {
  return apiRequest<VersionSummary & { definition: unknown }>(`${workflowUrl(workflowId)}/versions/${version}`, {
    action: 'Reading the version',
  });
}

/** Saves the old definition again as a new current version. */
export function restoreVersion(workflowId: string, version: number, csrf: string) {
  return apiRequest<SavedWorkflow & { definition: unknown }>(`${workflowUrl(workflowId)}/versions/${version}/restore`, {
    method: 'POST',
    csrf,
    action: 'Restoring the version',
  });
}
