import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@audit-image/dockerfile": src("dockerfile"),
      "@audit-image/analyzer": src("analyzer"),
      "audit-image": src("cli"),
    },
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test-images/**/*.test.ts"],
    testTimeout: 20000,
  },
});
