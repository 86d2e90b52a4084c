import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "extensions/*/dist/**",
      "extensions/*/node_modules/**",
      "prisma/generated/**",
      "tests/e2e/screenshots/**",
      "tests/.tmp/**",
      ".cache/**",
      "public/build/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: "readonly", process: "readonly", URL: "readonly", fetch: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Browser scripts served as-is (the emulated admin's App Bridge stand-in, sidebar and extension preview host).
    files: ["tests/emulator/admin-frame/*.js"],
    languageOptions: {
      globals: {
        window: "readonly",
        document: "readonly",
        Headers: "readonly",
        Request: "readonly",
        Response: "readonly",
        URLSearchParams: "readonly",
        history: "readonly",
        MutationObserver: "readonly",
        customElements: "readonly",
        HTMLElement: "readonly",
        Event: "readonly",
        navigator: "readonly",
      },
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: { require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly", setTimeout: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
