import { describe, expect, it } from "vitest";
import { createServiceMetrics } from "./metrics.js";

describe("createServiceMetrics", () => {
  it("renders cumulative buckets, sum and count per method and route, and counts per status", async () => {
    const metrics = createServiceMetrics({ collectDefaults: false });
    for (const [status, seconds] of [
      [200, 0.004],
      [200, 0.2],
      [500, 0.2],
      [200, 42],
    ] as const) {
      metrics.requestStarted();
      metrics.requestFinished("GET", "/a/:id", status, seconds);
    }
    metrics.requestStarted();
    metrics.requestFinished("POST", "/a/:id", 201, 0.01);
    const text = await metrics.registry.metrics();
    const bucket = (le: string, method = "GET") =>
      `app_request_duration_seconds_bucket{le="${le}",method="${method}",endpoint="/a/:id"}`;
    expect(text).toContain(`${bucket("0.005")} 1\n`);
    expect(text).toContain(`${bucket("0.1")} 1\n`);
    expect(text).toContain(`${bucket("0.2")} 3\n`);
    expect(text).toContain(`${bucket("10")} 3\n`);
    expect(text).toContain(`${bucket("+Inf")} 4\n`);
    expect(text).toContain('app_request_duration_seconds_sum{method="GET",endpoint="/a/:id"} 42.404\n');
    expect(text).toContain('app_request_duration_seconds_count{method="GET",endpoint="/a/:id"} 4\n');
    expect(text).toContain(`${bucket("0.005", "POST")} 0\n`);
    expect(text).toContain(`${bucket("0.01", "POST")} 1\n`);
    expect(text).toContain('app_requests_total{method="GET",endpoint="/a/:id",status="200"} 3\n');
    expect(text).toContain('app_requests_total{method="GET",endpoint="/a/:id",status="500"} 1\n');
    expect(text).toContain('app_requests_total{method="POST",endpoint="/a/:id",status="201"} 1\n');
    expect(text).toContain("app_requests_in_flight 0\n");
  });
});
