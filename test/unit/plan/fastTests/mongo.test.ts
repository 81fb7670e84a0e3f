import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../ci/src/plan/config/parse";
import { serviceEnv } from "../../../../ci/src/plan/job";
import { planMongoService } from "../../../../ci/src/plan/fastTests/mongo";

describe("planMongoService", () => {
  it("fills {database} now and leaves {host} and {port} to each runner", () => {
    const c = parseConfig(
      'services:\n  mongo:\n    database: books\n    env:\n      TEST_MONGO_URI: "mongodb://{host}:{port}/{database}?x=1"\n',
    );
    const svc = planMongoService(c);
    expect(svc.env.TEST_MONGO_URI).toBe("mongodb://{host}:{port}/books?x=1");
    expect(serviceEnv(svc, "mongo", 27017)).toEqual({
      DATABASE_URI: "mongodb://mongo:27017/books",
      TEST_MONGO_URI: "mongodb://mongo:27017/books?x=1",
    });
  });
});
