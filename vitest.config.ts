import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["development"] },
  ssr: { resolve: { conditions: ["development"] } },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "**/.local/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end files start real servers; keep file parallelism modest.
    maxWorkers: 2,
  },
});
