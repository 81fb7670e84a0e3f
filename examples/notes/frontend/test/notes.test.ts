import { describe, expect, it } from "vitest";
import { topTags } from "../lib/notes";

describe("topTags", () => {
  it("orders tags by use, then by name", () => {
    const notes = [
      { title: "a", tags: ["work", "ideas"] },
      { title: "b", tags: ["ideas"] },
      { title: "c", tags: ["home"] },
    ];
    expect(topTags(notes)).toEqual(["ideas", "home", "work"]);
  });
});
