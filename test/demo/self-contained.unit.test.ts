import { describe, expect, it } from "vitest";
import { importsOutside, moduleFiles } from "../support/imports";

// The demo is a harness of its own (README.md): besides itself it uses the app, the
// simulator and the shared harness in test/support — none of the other tests' helpers.
const ALLOWED = ["test/demo", "app", "test/shopify-sim", "test/support"];

describe("the demo is self-contained", () => {
  it.each(moduleFiles("test/demo"))("%s imports only the app, the simulator and test/support", (file) => {
    expect(importsOutside(file, ALLOWED)).toEqual([]);
  });
});
