// Runs every bench/*.bench.ts in its own process, one after another, so they do not compete for the two cores.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=development", join(here, file)],
    {
      stdio: "inherit",
    },
  );
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`${file} failed with exit code ${result.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
