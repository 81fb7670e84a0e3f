/** Write docs/pipeline.schema.json from the valibot schema (npm run schema); a unit test fails while it is stale. */
import { writeFileSync } from "node:fs";
import { pipelineJsonSchema, SCHEMA_FILE } from "./host/pipelineSchema";

writeFileSync(SCHEMA_FILE, pipelineJsonSchema());
console.log(`wrote ${SCHEMA_FILE}`);
