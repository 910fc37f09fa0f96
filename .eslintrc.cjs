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
    {
      // Rendered into happy-dom by hand: no jest-dom matchers there.
      files: ["extensions/tests/**"],
      rules: {
        "jest-dom/prefer-to-have-attribute": "off",
        "jest-dom/prefer-to-have-text-content": "off",
        "no-script-url": "off",
      },
    },
  ],
};
