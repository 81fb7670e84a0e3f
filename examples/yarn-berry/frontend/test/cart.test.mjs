import assert from "node:assert/strict";
import { test } from "node:test";
import { total } from "../lib/cart.mjs";

test("total adds each line's price times its quantity", () => {
  assert.equal(total([{ cents: 250, qty: 2 }, { cents: 100, qty: 1 }]), 600);
});
