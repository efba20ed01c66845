/**
 * Writes the rule files `alerts/*.rules.yml` from the defaults in `thresholds/thresholds.yaml`, and points the
 * runbook links of their promtool tests at the configured runbook address.
 *
 *   npm run generate:alerts
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repositoryPath } from "@platform/repository";
import { loadDefaultThresholds } from "../thresholds/thresholds";
import { buildRuleFiles, retargetTestRunbooks } from "./rule-files";

const ALERTS_DIR = repositoryPath("alerts");
const thresholds = loadDefaultThresholds();
for (const [name, text] of Object.entries(buildRuleFiles(thresholds))) {
  writeFileSync(join(ALERTS_DIR, name), text);
  console.log(`wrote alerts/${name}`);
}
// Every promtool test file, whichever rule files it loads (business-local.rules.test.yml tests the business
// rules in the local configuration).
for (const testName of readdirSync(ALERTS_DIR).filter((f) => f.endsWith(".rules.test.yml"))) {
  const testFile = join(ALERTS_DIR, testName);
  const tests = readFileSync(testFile, "utf8");
  const retargeted = retargetTestRunbooks(tests, thresholds.runbookBaseUrl);
  if (retargeted !== tests) {
    writeFileSync(testFile, retargeted);
    console.log(`retargeted the runbook links of alerts/${testName}`);
  }
}
