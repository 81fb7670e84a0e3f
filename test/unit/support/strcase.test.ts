import { describe, expect, it } from "vitest";
import { toDelimited, toKebab } from "../../support/strcase";

/** iancoleman/strcase v0.3.0 snake_test.go: the toSnake and toDelimited vectors, digits included. */
const SNAKE: [string, string][] = [
  ["testCase", "test_case"],
  ["TestCase", "test_case"],
  ["Test Case", "test_case"],
  [" Test Case", "test_case"],
  ["Test Case ", "test_case"],
  [" Test Case ", "test_case"],
  ["test", "test"],
  ["test_case", "test_case"],
  ["Test", "test"],
  ["", ""],
  ["ManyManyWords", "many_many_words"],
  ["manyManyWords", "many_many_words"],
  ["AnyKind of_string", "any_kind_of_string"],
  ["numbers2and55with000", "numbers_2_and_55_with_000"],
  ["JSONData", "json_data"],
  ["userID", "user_id"],
  ["AAAbbb", "aa_abbb"],
  ["1A2", "1_a_2"],
  ["A1B", "a_1_b"],
  ["A1A2A3", "a_1_a_2_a_3"],
  ["A1 A2 A3", "a_1_a_2_a_3"],
  ["AB1AB2AB3", "ab_1_ab_2_ab_3"],
  ["AB1 AB2 AB3", "ab_1_ab_2_ab_3"],
  ["some string", "some_string"],
  [" some string", "some_string"],
];

const DELIMITED: [string, string][] = [
  ["testCase", "test@case"],
  ["TestCase", "test@case"],
  ["Test Case", "test@case"],
  [" Test Case", "test@case"],
  ["Test Case ", "test@case"],
  [" Test Case ", "test@case"],
  ["test", "test"],
  ["test_case", "test@case"],
  ["Test", "test"],
  ["", ""],
  ["ManyManyWords", "many@many@words"],
  ["manyManyWords", "many@many@words"],
  ["AnyKind of_string", "any@kind@of@string"],
  ["numbers2and55with000", "numbers@2@and@55@with@000"],
  ["JSONData", "json@data"],
  ["userID", "user@id"],
  ["AAAbbb", "aa@abbb"],
  ["test-case", "test@case"],
];

describe("toDelimited (strcase v0.3.0 vectors)", () => {
  it.each(SNAKE)("turns %j into %j with _", (input, out) => expect(toDelimited(input, "_")).toBe(out));
  it.each(DELIMITED)("turns %j into %j with @", (input, out) => expect(toDelimited(input, "@")).toBe(out));
});

describe("toKebab", () => {
  it("kebab-cases like strcase's TestToKebab", () => expect(toKebab("testCase")).toBe("test-case"));

  it("names this module's functions and flags as the Dagger CLI does, splitting digits (dagger/dagger#7276)", () => {
    expect(toKebab("e2e")).toBe("e-2-e");
    expect(toKebab("e2eShard")).toBe("e-2-e-shard");
    expect(toKebab("fastTests")).toBe("fast-tests");
    expect(toKebab("endToEndShard")).toBe("end-to-end-shard");
    expect(toKebab("stagingSshKey")).toBe("staging-ssh-key");
    expect(toKebab("baseURL")).toBe("base-url");
  });
});
