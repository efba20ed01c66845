import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` starts no process (in-process apps and 127.0.0.1 sockets only) and runs in seconds;
 * `e2e` (files named *.e2e.test.ts) starts real tools and servers: promtool, amtool, Prometheus,
 * Alertmanager, the services, chromium, action-validator. `npm test` runs both.
 */
export default defineConfig({
  resolve: { conditions: ["development"] },
  ssr: { resolve: { conditions: ["development"] } },
  test: {
    exclude: ["**/node_modules/**", "**/dist/**", "**/.local/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end files start real servers; keep file parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.e2e.test.ts", "**/node_modules/**"],
        },
      },
      { extends: true, test: { name: "e2e", include: ["**/*.e2e.test.ts"] } },
    ],
  },
});
