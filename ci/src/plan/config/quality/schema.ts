/**
 * The `quality:` section of pipeline.yaml: checks beyond the tests, each a switch with its thresholds and allow-list.
 * The fast-tests tier runs sast, secrets and audit; the E2E tier's checks sit beside them.
 */
import * as v from "valibot";
import { say } from "../issue";
import { flag, httpUrl, oneOf, settings, stringList } from "../kinds";
import { E2E_CHECKS_SCHEMA } from "./e2eSchema";
import { SAST_SEVERITIES, AUDIT_SEVERITIES } from "./defaults";

const sast = settings({
  enabled: flag(true),
  blocking: flag(true),
  failOn: oneOf(SAST_SEVERITIES),
  allow: stringList('["B101", "security/detect-object-injection:frontend/lib/table.ts"]'),
  exclude: stringList('["**/tests/**"]'),
});

const secrets = settings({
  enabled: flag(true),
  blocking: flag(true),
  allow: stringList('["backend/tests/fixtures/fake.pem", "docs/setup.md:generic-api-key"]'),
});

const audit = settings({
  enabled: flag(true),
  blocking: flag(false),
  failOn: oneOf(AUDIT_SEVERITIES),
  allow: stringList('["GHSA-xxxx-xxxx-xxxx", "PYSEC-2024-1"]'),
  failWhenUnreachable: flag(false),
  npmRegistry: v.union(
    [v.literal(""), httpUrl('"https://registry.npmjs.org/"')],
    say("is not an http(s) URL", 'write it like {name}: "https://registry.npmjs.org/" ("" for npm\'s own)'),
  ),
  osvUrl: httpUrl('"https://api.osv.dev/v1/query"'),
});

export const QUALITY_SCHEMA = settings({ sast, secrets, audit, ...E2E_CHECKS_SCHEMA });

/** What a file's `quality:` holds, each part checked. */
export type QualityInput = v.InferOutput<typeof QUALITY_SCHEMA>;
