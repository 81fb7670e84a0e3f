/**
 * The JSON Schema of pipeline.yaml, converted from the valibot schema the runners check with, so an editor
 * (yaml-language-server) completes and checks the file as the pipeline will. Committed as docs/pipeline.schema.json.
 */
import { resolve } from "node:path";
import { toJsonSchema } from "@valibot/to-json-schema";
import { PIPELINE_SCHEMA } from "../../ci/src/plan/config/schema";

export const SCHEMA_FILE = resolve(import.meta.dirname, "../../docs/pipeline.schema.json");

/** The JSON Schema text, as committed. */
export function pipelineJsonSchema(): string {
  // "output": of a pipe's schemas, only the last converts; the first of each is the mapping guard (valibot's
  // objects would take a list), which JSON Schema's `type: object` already says.
  const schema = toJsonSchema(PIPELINE_SCHEMA, { typeMode: "output", target: "draft-07" });
  const titled = {
    $schema: schema.$schema,
    title: "pipeline.yaml",
    description: "The CI/CD pipeline's config; every key is optional and merges over the defaults (docs/config.md).",
    ...schema,
  };
  return `${JSON.stringify(titled, null, 2)}\n`;
}
