import { loadConfig, ConfigError } from './config/env';
import { createContainer, closeContainer } from './container';
import { createLogger } from './lib/logger';
import { ensureDefaultAccount } from './accounts/bootstrap';
import { startWorkers, type RunningWorkers } from './roles/worker';
import { startApi, type RunningApi } from './roles/api';
import { loadTemplates } from './messaging/template-store';
import { startMetricsServer, type MetricsServer } from './observability/metrics-server';
import { applyLinkSecret } from './startup/link-secret';
import { applyHeapGrowth } from './startup/heap-growth';
import { prepareDatabase, waitForRedis } from './startup/wait-for-services';
import { syncWorkflowFiles } from './workflows/workflow-sync';
import { accountCalendars } from './booking/calendar-references';
import { WorkflowFilesError } from './workflows/workflow-files-error';
import { warnOfRefusedWebhooks } from './workflows/egress-warnings';
import { createEgressPolicy } from './lib/egress/egress-policy';
import { webhookEgressOptions } from './actions/action-deps';

type Role = 'all' | 'api' | 'worker';

function parseRole(argv: string[]): Role {
  const index = argv.indexOf('--role');
  const value = index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--role='))?.slice(7);
  if (value === undefined) return 'all';
  if (value === 'all' || value === 'api' || value === 'worker') return value;
  console.error(`Unknown --role '${value}': use api, worker or all`);
  process.exit(1);
}

async function main(): Promise<void> {
  const role = parseRole(process.argv.slice(2));
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  applyHeapGrowth(config.HEAP_GROWING_PERCENT);
  const container = createContainer(config, logger);

  await prepareDatabase(container);
  // Before anything mints or reads a link token: LINK_SECRET, or this installation's stored secret.
  await applyLinkSecret(container);
  await waitForRedis(container);
  const { accountId, generatedApiKey } = await ensureDefaultAccount(container);
  if (generatedApiKey) {
    // Printed once, on purpose to stdout and not through the logger (logs never carry keys).
    console.log(`\nAPI key of the default account (shown once, keep it): ${generatedApiKey}\n`);
  }
  // Before the workflows: a send step naming a template is checked against these.
  await loadTemplates(config.TEMPLATES_DIR, logger);
  try {
    // A calendar a file names that the account lacks (not created yet) is a warning, not a failure.
    const synced = await container.db.transaction(async (tx) =>
      syncWorkflowFiles(tx, accountId, config.WORKFLOWS_DIR, {
        calendars: await accountCalendars(tx, accountId),
        log: logger,
      }),
    );
    logger.info({ dir: config.WORKFLOWS_DIR, ...synced }, 'workflow files loaded');
  } catch (error) {
    if (error instanceof WorkflowFilesError) {
      logger.fatal(error.message);
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // After the sync, so file workflows count too: the egress guard must not break them silently.
  await warnOfRefusedWebhooks(container.db.manager, {
    policy: createEgressPolicy(webhookEgressOptions(config)),
    logger,
  });

  let api: RunningApi | undefined;
  let workers: RunningWorkers | undefined;
  if (role !== 'worker') {
    api = startApi(container);
  }
  let metricsServer: MetricsServer | undefined;
  if (role === 'worker' && config.METRICS_PORT !== undefined) {
    metricsServer = await startMetricsServer({ port: config.METRICS_PORT, logger, token: config.METRICS_TOKEN });
    logger.info({ port: metricsServer.port }, 'metrics served on /metrics');
  }
  if (role !== 'api') {
    workers = startWorkers(container);
    logger.info({ role, concurrency: config.WORKER_CONCURRENCY }, 'workers started');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    await api?.close();
    await workers?.close();
    await metricsServer?.close();
    await closeContainer(container);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Linkflow failed to start:', error);
  process.exit(1);
});
