/**
 * The E2E functions against the example app started on the host (scripts/host/exampleApp.ts) on the engine bridge's
 * address, so both the driver (readiness probes run in the function's process) and the Playwright containers reach it:
 * endToEnd (2 shards, must pass), endToEndShard 1 of 2, endToEndMerge given shard 1's blob only (must be red and name
 * shard 2), endToEndVerdict on that red report (must throw E2eRedError).
 */
import { delimiter } from "node:path";
import { dag, type Directory } from "@dagger.io/dagger";
import { copyExample } from "../../../test/support/example";
import { readConfig } from "../../host/config";
import { startLocalApp } from "../../host/exampleApp";
import { TOOLS_BIN } from "../../host/stage";
import { E2eRedError } from "../../../ci/src/plan/e2e/verdict";
import type { LabStep, StepGroup } from "../driver";
import { bridgeIp } from "../forward";
import { appSource, labCi } from "./sources";

/** The report's status and its summary's first lines. */
async function readReport(report: Directory): Promise<{ status: string; summary: string }> {
  const [status, summary] = await Promise.all([
    report.file("status").contents(),
    report.file("summary.txt").contents(),
  ]);
  return { status: status.trim(), summary };
}

export const e2eSteps: StepGroup = {
  name: "e2e",
  async steps() {
    const copy = copyExample();
    const env = { ...process.env, PATH: [TOOLS_BIN, process.env.PATH ?? ""].join(delimiter) };
    const app = await startLocalApp(
      copy.dir,
      await readConfig(copy.dir),
      env,
      (s) => console.log(`[app] ${s}`),
      bridgeIp(),
    ).catch((e: unknown) => {
      copy.remove();
      throw e;
    });
    const { baseUrl, apiUrl } = app;
    const onCopy = labCi(appSource(copy.dir));
    let blob: Directory | undefined;
    let red: Directory | undefined;
    const steps: LabStep[] = [
      {
        step: "endToEnd",
        call: `endToEnd(baseUrl: ${baseUrl}, apiUrl: ${apiUrl}, shards: 2)`,
        run: async () => {
          const r = await readReport(await onCopy.endToEnd(baseUrl, apiUrl, 2));
          if (r.status !== "passed") throw new Error(`report status ${r.status}:\n${r.summary}`);
          return r.summary.split("\n")[0];
        },
      },
      {
        step: "endToEndShard",
        call: "endToEndShard(index: 1, total: 2)",
        run: async () => {
          blob = await onCopy.endToEndShard(1, baseUrl, apiUrl, 2);
          const entries = await blob.entries();
          if (!entries.includes("report-1.zip"))
            throw new Error(`no report-1.zip in the blob directory: ${entries.join(", ")}`);
          return entries.join(", ");
        },
      },
      {
        step: "endToEndMerge-missing-blob",
        call: "endToEndMerge(blobs: shard 1's only, total: 2)",
        run: async () => {
          red = await onCopy.endToEndMerge(blob ?? dag.directory(), baseUrl, apiUrl, 2);
          const r = await readReport(red);
          const named = r.summary.split("\n").find((l) => /shard 2 of 2 sent no blob report/.test(l));
          if (r.status !== "failed" || !named)
            throw new Error(`expected a red report naming shard 2, got ${r.status}:\n${r.summary}`);
          return `status failed; ${named.trim()}`;
        },
      },
      {
        step: "endToEndVerdict-red",
        call: "endToEndVerdict(report: the red merge report)",
        run: async () => {
          if (!red) throw new Error("no red report: endToEndMerge-missing-blob failed");
          const e = await onCopy.endToEndVerdict(red).then(
            () => undefined,
            (x: unknown) => x,
          );
          if (!(e instanceof E2eRedError)) throw new Error(`expected E2eRedError, got ${String(e)}`);
          return "E2eRedError thrown";
        },
      },
    ];
    const stop = async () => {
      await app.stop();
      copy.remove();
    };
    return { steps, stop };
  },
};
