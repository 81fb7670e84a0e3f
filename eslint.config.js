// Lint the project's own TypeScript (the module, the host runner, tests, benches); the example app lints itself.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "examples/", "ci/sdk/", "ci/node_modules/", ".tools/", ".pipeline/", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      "no-console": "off",
      eqeqeq: ["error", "always"],
      // Prettier wraps code at 120; this catches the comments and strings it cannot wrap.
      "max-len": ["error", { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignorePattern: "^\\s*((it|describe|test)\\(|\\* Example: )" }],
    },
  },
);
