/** @type {import('eslint').Linter.Config} */
module.exports = {
  root: true,
  extends: [
    "@remix-run/eslint-config",
    "@remix-run/eslint-config/node",
    "@remix-run/eslint-config/jest-testing-library",
    "prettier",
  ],
  globals: { shopify: "readonly" },
  settings: { jest: { version: 29 } },
  rules: {
    // vitest, not jest: the focused/skipped test rules still apply.
    "jest/no-focused-tests": "error",
    "jest/no-disabled-tests": "error",
  },
  overrides: [
    {
      // Shopify CLI's generated typing of the extension's `shopify` global.
      files: ["extensions/*/shopify.d.ts"],
      rules: { "@typescript-eslint/consistent-type-imports": "off" },
    },
  ],
};
