import type { PipelineConfig } from "../config/defaults";
import type { ServiceNeed } from "../job";
import { WORKER_DB_ENV } from "./workers";

/**
 * Plan MongoDB: `mongo:7` bound as `mongo` in Dagger; mongod, mongo-stand-in or FerretDB on the host. With
 * `workerDatabases`, the env also carries each `{database}` template for pytest-xdist's workers
 * (plan/fastTests/workers.ts).
 */
export function planMongoService(c: PipelineConfig, workerDatabases = false): ServiceNeed {
  const m = c.services.mongo;
  // {database} is known now; {host} and {port} are filled in by each runner (serviceEnv).
  const env = Object.fromEntries(Object.entries(m.env).map(([k, v]) => [k, v.replaceAll("{database}", m.database)]));
  const templates = Object.fromEntries(Object.entries(m.env).filter(([, v]) => v.includes("{database}")));
  const perWorker = {
    [WORKER_DB_ENV.templates]: JSON.stringify(templates),
    [WORKER_DB_ENV.database]: m.database,
  };
  return {
    alias: "mongo",
    image: m.image,
    port: m.port,
    env: workerDatabases ? { ...env, ...perWorker } : env,
    host: {
      candidates: m.hostCommands,
      installHint:
        "run scripts/setup.sh (it builds the mongo-java-server stand-in with Maven, and FerretDB), or put mongod on PATH",
    },
  };
}
