import type { Config } from '../config/env';
import type { Db } from '../db/data-source';

/** What actions may reach beyond their step. Wired once by the step worker from the container. */
export interface ActionDeps {
  db: Db;
  config: Config;
}
