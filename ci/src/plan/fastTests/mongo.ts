import type { PipelineConfig } from "../config/defaults";
import type { ServiceNeed } from "../job";

/** Plan MongoDB: `mongo:7` bound as `mongo` in Dagger; mongod, mongo-stand-in or FerretDB on the host. */
export function planMongoService(c: PipelineConfig): ServiceNeed {
  const m = c.services.mongo;
  return {
    alias: "mongo",
    image: m.image,
    port: m.port,
    // {database} is known now; {host} and {port} are filled in by each runner (serviceEnv).
    env: Object.fromEntries(Object.entries(m.env).map(([k, v]) => [k, v.replaceAll("{database}", m.database)])),
    host: {
      candidates: m.hostCommands,
      installHint:
        "run scripts/setup.sh (it builds the mongo-java-server stand-in with Maven, and FerretDB), or put mongod on PATH",
    },
  };
}
