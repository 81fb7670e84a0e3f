import type { PipelineConfig } from "../config/defaults";
import type { ServiceNeed } from "../job";

/** Plan MongoDB: `mongo:7` bound as `mongo` in Dagger, mongod or FerretDB on the host. */
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
        "install a MongoDB wire-protocol server: `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2` (or run scripts/setup.sh), or put mongod on PATH",
    },
  };
}
