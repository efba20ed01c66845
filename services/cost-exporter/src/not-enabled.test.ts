import { afterEach, describe, expect, it } from "vitest";
import { find, startTestbed, type Testbed, value } from "../test/support.js";
import { NOT_ENABLED_MESSAGE } from "./simulator/faults.js";

/**
 * A new AWS account whose Cost Explorer nobody has opened yet: AWS answers every call with
 * AccessDeniedException "User not enabled for cost explorer access". That is a state of its own (a person
 * enables it once, in the console), reported by aws_cost_exporter_cost_explorer_enabled, not a failing
 * refresh that pages. The real SDK over HTTP against the simulator, which answers as AWS does.
 */
const NOW = Date.parse("2026-12-07T09:00:00Z");
let bed: Testbed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

const counter = (text: string, name: string, labels: Record<string, string>) =>
  find(text, name, labels)[0]?.value ?? 0;

describe("Cost Explorer not enabled for the account", () => {
  it("is its own state: not retried, counted as not_enabled, enabled = 0, and no refresh failure", async () => {
    bed = await startTestbed({ now: NOW, env: { API_MAX_ATTEMPTS: "4" } });
    bed.simulator.setFaults({ notEnabled: true });
    expect(await bed.exporter.collector.refresh()).toBe(false);
    const text = await bed.scrape();
    expect(value(text, "aws_cost_exporter_cost_explorer_enabled")).toBe(0);
    expect(counter(text, "aws_cost_exporter_refreshes_total", { outcome: "not_enabled" })).toBe(1);
    expect(counter(text, "aws_cost_exporter_refreshes_total", { outcome: "failure" })).toBe(0);
    // One paid request, not API_MAX_ATTEMPTS: retrying cannot enable Cost Explorer.
    expect(
      counter(text, "aws_cost_exporter_api_requests_total", {
        operation: "GetCostAndUsage",
        outcome: "not_enabled",
      }),
    ).toBe(1);
    expect(
      counter(text, "aws_cost_exporter_api_requests_total", {
        operation: "GetCostAndUsage",
        outcome: "access_denied",
      }),
    ).toBe(0);
    expect(bed.simulator.stats.total).toBe(1);
    expect(bed.simulator.stats.faultsInjected.notEnabled).toBe(1);
    // There is no data, and the exporter says so; it does not pretend a refresh succeeded.
    expect(value(text, "aws_cost_exporter_last_refresh_success")).toBe(0);
    expect(find(text, "aws_cost_daily_amount")).toHaveLength(0);

    // Once someone enables it, the next refresh clears the state.
    bed.simulator.setFaults({});
    expect(await bed.exporter.collector.refresh()).toBe(true);
    const enabled = await bed.scrape();
    expect(value(enabled, "aws_cost_exporter_cost_explorer_enabled")).toBe(1);
    expect(value(enabled, "aws_cost_exporter_last_refresh_success")).toBe(1);
  });

  it("a role without the permission is still a failing refresh (access_denied), not this state", async () => {
    bed = await startTestbed({ now: NOW });
    bed.simulator.setFaults({ accessDenied: true });
    expect(await bed.exporter.collector.refresh()).toBe(false);
    const text = await bed.scrape();
    expect(value(text, "aws_cost_exporter_cost_explorer_enabled")).toBe(1);
    expect(counter(text, "aws_cost_exporter_refreshes_total", { outcome: "failure" })).toBe(1);
    expect(counter(text, "aws_cost_exporter_refreshes_total", { outcome: "not_enabled" })).toBe(0);
  });

  it("the simulator answers as AWS does: 400, AccessDeniedException, AWS's message", async () => {
    bed = await startTestbed({ now: NOW });
    bed.simulator.setFaults({ notEnabled: true });
    const answer = await fetch(bed.simulator.running.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSInsightsIndexService.GetCostAndUsage",
      },
      body: "{}",
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ __type: "AccessDeniedException", message: NOT_ENABLED_MESSAGE });
    expect(NOT_ENABLED_MESSAGE).toBe("User not enabled for cost explorer access");
  });
});
