import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotServedError, probe, secondsUntilServed, servedBy } from "../../../bench/support/releaseProbe";

/** What the stand-in for nginx answers on each side: status, the app's release, nginx's release. */
type Side = { status: number; app: string; nginx: string };

describe("releaseProbe", () => {
  let server: http.Server;
  let origin: string;
  const sides: Record<"frontend" | "backend", Side> = {
    frontend: { status: 200, app: "A", nginx: "A" },
    backend: { status: 200, app: "A", nginx: "A" },
  };
  const set = (frontend: Side, backend: Side) => Object.assign(sides, { frontend, backend });

  beforeEach(async () => {
    server = http.createServer((req, res) => {
      const s = req.url?.startsWith("/api/") ? sides.backend : sides.frontend;
      res.writeHead(s.status, { "X-App-Release": s.app, "X-Release": s.nginx });
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  describe("servedBy", () => {
    it("is true only when the frontend page and the API health both answer 200 from the target release", async () => {
      const ok = { status: 200, app: "B", nginx: "B" };
      set(ok, ok);
      expect(servedBy(await probe(origin), "B")).toBe(true);
      expect(servedBy(await probe(origin), "A")).toBe(false);
    });

    it("is false while the old release's backend still answers behind nginx's new route", async () => {
      set({ status: 200, app: "B", nginx: "B" }, { status: 200, app: "A", nginx: "B" });
      expect(servedBy(await probe(origin), "B")).toBe(false);
    });

    it("is false while the frontend fails even though the backend health is fine", async () => {
      set({ status: 502, app: "", nginx: "B" }, { status: 200, app: "B", nginx: "B" });
      expect(servedBy(await probe(origin), "B")).toBe(false);
    });

    it("is false when nothing listens", async () => {
      expect(servedBy(await probe("http://127.0.0.1:9"), "B")).toBe(false);
    });
  });

  describe("secondsUntilServed", () => {
    it("measures until the target serves both sides", async () => {
      set({ status: 200, app: "A", nginx: "A" }, { status: 200, app: "A", nginx: "A" });
      setTimeout(() => set({ status: 200, app: "B", nginx: "B" }, { status: 200, app: "B", nginx: "B" }), 300);
      const s = await secondsUntilServed(origin, () => "B", new Promise(() => {}));
      expect(s).toBeGreaterThanOrEqual(0.25);
    });

    it("fails when the command has ended and the target never serves both sides", async () => {
      set({ status: 200, app: "B", nginx: "B" }, { status: 200, app: "A", nginx: "B" });
      await expect(secondsUntilServed(origin, () => "B", Promise.resolve(), 200)).rejects.toThrow(NotServedError);
    });
  });
});
