import { GetCostForecastCommand } from "@aws-sdk/client-cost-explorer";
import { createLogger } from "@platform/service-kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectCostExplorer, createCostExplorerClient } from "./cost-explorer-client.js";
import { type Simulator, startSimulator } from "./simulator/app.js";

const quiet = createLogger({ service: "test", level: "silent" });
const config = { API_TIMEOUT: 5_000 };
const forecast = () =>
  new GetCostForecastCommand({
    TimePeriod: { Start: "2099-01-01", End: "2099-02-01" },
    Granularity: "MONTHLY",
    Metric: "UNBLENDED_COST",
  });

// The credential chain and endpoint settings come from the environment; each test sets its own.
const ENDPOINT_AND_CREDENTIAL_VARS = [
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_COST_EXPLORER",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];
const saved = Object.fromEntries(ENDPOINT_AND_CREDENTIAL_VARS.map((k) => [k, process.env[k]]));
function withoutAwsSettings() {
  for (const k of ENDPOINT_AND_CREDENTIAL_VARS) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
  process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/aws-credentials";
}

describe("connecting to Cost Explorer", () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({ now: () => Date.parse("2099-01-01T10:00:00Z") });
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(async () => {
    await simulator?.running.shutdown();
  });

  it("lets the SDK itself pick the endpoint from AWS_ENDPOINT_URL_COST_EXPLORER, then AWS_ENDPOINT_URL", async () => {
    withoutAwsSettings();
    const credentials = { accessKeyId: "TEST", secretAccessKey: "test" };
    for (const variable of ["AWS_ENDPOINT_URL_COST_EXPLORER", "AWS_ENDPOINT_URL"]) {
      process.env[variable] = simulator.running.url;
      const before = simulator.stats.requests.GetCostForecast;
      const client = createCostExplorerClient(config, { credentials });
      const answer = await client.send(forecast());
      expect(answer.Total?.Unit).toBe("USD");
      expect(simulator.stats.requests.GetCostForecast).toBe(before + 1);
      client.destroy();
      delete process.env[variable];
    }
  });

  it("sends one HTTP request per call: the SDK does not retry on its own", async () => {
    withoutAwsSettings();
    const client = createCostExplorerClient(config, {
      endpoint: simulator.running.url,
      credentials: { accessKeyId: "TEST", secretAccessKey: "test" },
    });
    simulator.setFaults({ throttle: 5 });
    const before = simulator.stats.total;
    await expect(client.send(forecast())).rejects.toMatchObject({ name: "LimitExceededException" });
    expect(simulator.stats.total - before).toBe(1);
    simulator.setFaults({});
    client.destroy();
  });

  it("auto mode runs in demo mode with the embedded simulator when no credentials resolve", async () => {
    withoutAwsSettings();
    const connection = await connectCostExplorer(
      { COST_EXPORTER_MODE: "auto", API_TIMEOUT: 5_000 },
      quiet,
      {},
    );
    try {
      expect(connection.mode).toBe("demo");
      expect(connection.simulator).toBeDefined();
      const answer = await connection.client.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: "2999-01-01", End: "2999-02-01" },
          Granularity: "MONTHLY",
          Metric: "UNBLENDED_COST",
        }),
      );
      expect(answer.Total?.Amount).toMatch(/^\d+(\.\d+)?$/);
    } finally {
      await connection.close();
    }
  });

  it("demo mode uses the simulator named by AWS_ENDPOINT_URL_COST_EXPLORER instead of starting one", async () => {
    withoutAwsSettings();
    const connection = await connectCostExplorer({ COST_EXPORTER_MODE: "demo", API_TIMEOUT: 5_000 }, quiet, {
      AWS_ENDPOINT_URL_COST_EXPLORER: simulator.running.url,
    });
    const before = simulator.stats.total;
    await connection.client.send(forecast());
    expect(connection.simulator).toBeUndefined();
    expect(simulator.stats.total).toBe(before + 1);
    await connection.close();
  });

  it("auto mode uses AWS when the default credential chain finds credentials", async () => {
    withoutAwsSettings();
    process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
    process.env.AWS_SECRET_ACCESS_KEY = "example-secret";
    const connection = await connectCostExplorer(
      { COST_EXPORTER_MODE: "auto", API_TIMEOUT: 5_000 },
      quiet,
      {},
    );
    expect(connection.mode).toBe("aws");
    expect(connection.simulator).toBeUndefined();
    await connection.close();
  });
});

describe("the simulator's protocol", () => {
  let simulator: Simulator;
  beforeAll(async () => {
    simulator = await startSimulator({ now: () => Date.parse("2025-03-10T10:00:00Z") });
  });
  afterAll(async () => {
    await simulator?.running.shutdown();
  });
  const call = (target: string, body: unknown) =>
    fetch(`${simulator.running.url}/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSInsightsIndexService.${target}`,
      },
      body: JSON.stringify(body),
    });

  it("refuses invalid periods with ValidationException", async () => {
    for (const TimePeriod of [
      { Start: "2025-03-05", End: "2025-03-05" },
      { Start: "2025-03-05", End: "2025-03-01" },
      { Start: "2025/03/01", End: "2025-03-05" },
      { Start: "2025-02-30", End: "2025-03-05" },
    ]) {
      const res = await call("GetCostAndUsage", {
        TimePeriod,
        Granularity: "DAILY",
        Metrics: ["UnblendedCost"],
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ __type: "ValidationException" });
    }
    const past = await call("GetCostForecast", {
      TimePeriod: { Start: "2025-03-09", End: "2025-04-01" },
      Granularity: "MONTHLY",
      Metric: "UNBLENDED_COST",
    });
    expect(await past.json()).toMatchObject({ __type: "ValidationException" });
  });

  it("answers ungrouped requests with totals, marks recent days estimated and leaves the future empty", async () => {
    const res = await call("GetCostAndUsage", {
      TimePeriod: { Start: "2025-03-08", End: "2025-03-12" },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
    });
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    const body = (await res.json()) as {
      ResultsByTime: {
        TimePeriod: { Start: string };
        Total: Record<string, { Amount: string }>;
        Estimated: boolean;
      }[];
    };
    expect(body.ResultsByTime.map((r) => [r.TimePeriod.Start, r.Estimated])).toEqual([
      ["2025-03-08", false],
      ["2025-03-09", true],
      ["2025-03-10", true],
      ["2025-03-11", true],
    ]);
    expect(Number(body.ResultsByTime[3]?.Total.UnblendedCost?.Amount)).toBe(0);
    expect(Number(body.ResultsByTime[0]?.Total.UnblendedCost?.Amount)).toBeGreaterThan(0);
  });

  it("rejects unknown operations and reports what it received", async () => {
    const res = await call("GetReservationCoverage", {});
    expect(await res.json()).toMatchObject({ __type: "UnknownOperationException" });
    const stats = (await (await fetch(`${simulator.running.url}/_simulator/stats`)).json()) as {
      targets: string[];
    };
    expect(stats.targets).toContain("AWSInsightsIndexService.GetReservationCoverage");
    const bad = await fetch(`${simulator.running.url}/_simulator/faults`, {
      method: "PUT",
      body: '{"throttle":-1}',
    });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${simulator.running.url}/_simulator/faults`, {
      method: "PUT",
      body: '{"delayMs":5}',
    });
    expect(await ok.json()).toMatchObject({ delayMs: 5, throttle: 0, accessDenied: false });
  });
});
