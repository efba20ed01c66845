import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { createLogger } from "@platform/service-kit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./app.js";

const credentials = { accessKeyId: "AKIDSIMULATOR", secretAccessKey: "not-a-secret" };
const query = () =>
  new GetProductsCommand({
    ServiceCode: "AmazonEC2",
    Filters: [
      { Type: "TERM_MATCH", Field: "regionCode", Value: "us-east-1" },
      { Type: "TERM_MATCH", Field: "instanceType", Value: "t3.micro" },
    ],
  });
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => "answered",
    (error: Error) => error.name,
  );

// The credential chain and endpoint settings come from the environment; each test sets its own.
const AWS_VARS = [
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_PRICING",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_EC2_METADATA_DISABLED",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
];
const saved = Object.fromEntries(AWS_VARS.map((name) => [name, process.env[name]]));
function withoutAwsSettings() {
  for (const name of AWS_VARS) delete process.env[name];
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
  process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/aws-credentials";
}

const logger = createLogger({ service: "test", level: "silent" });
let clock = 0;
let simulator: Simulator;
const client = (maxAttempts = 3) =>
  new PricingClient({ region: "us-east-1", endpoint: simulator.running.url, credentials, maxAttempts });

beforeAll(async () => {
  simulator = await startSimulator({ now: () => clock, logger });
});
afterEach(() => {
  simulator.setFaults({});
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
afterAll(async () => {
  await simulator?.running.shutdown();
});

describe("throttling", () => {
  it("answers ThrottlingException, which the SDK retries with backoff until it gets through", async () => {
    const before = simulator.stats.requests.GetProducts;
    simulator.setFaults({ throttle: 2 });
    expect(await outcome(client(3).send(query()))).toBe("answered");
    expect(simulator.stats.requests.GetProducts - before).toBe(3);
    expect(simulator.stats.faultsInjected.throttle).toBeGreaterThanOrEqual(2);
  });

  it("ends in ThrottlingException when throttling outlasts the SDK's attempts", async () => {
    simulator.setFaults({ throttle: 5 });
    expect(await outcome(client(2).send(query()))).toBe("ThrottlingException");
    expect(simulator.stats.faultsInjected.throttle).toBeGreaterThanOrEqual(2);
  });

  it("throttles above a request rate and lets requests through again as time passes", async () => {
    simulator.setFaults({ ratePerSecond: 2 });
    expect(await outcome(client(1).send(query()))).toBe("answered");
    expect(await outcome(client(1).send(query()))).toBe("answered");
    expect(await outcome(client(1).send(query()))).toBe("ThrottlingException");
    clock += 1_000;
    expect(await outcome(client(1).send(query()))).toBe("answered");
  });

  it("reports a server fault as InternalErrorException with status 500", async () => {
    simulator.setFaults({ serverError: 1 });
    const error = await client(1)
      .send(query())
      .catch((e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
    expect(error).toMatchObject({ name: "InternalErrorException", $metadata: { httpStatusCode: 500 } });
  });

  it("refuses fault settings out of bounds with a 400 that names the field", async () => {
    const response = await fetch(`${simulator.running.url}/_simulator/faults`, {
      method: "PUT",
      body: JSON.stringify({ delayMs: 10_000_000 }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/delayMs/);
    const current = (await (await fetch(`${simulator.running.url}/_simulator/faults`)).json()) as {
      delayMs: number;
    };
    expect(current.delayMs).toBe(0);
  });
});

describe("credentials and access", () => {
  it("never sends a request when the SDK finds no credentials: the caller gets a clear error", async () => {
    withoutAwsSettings();
    const before = JSON.stringify(simulator.stats);
    const noCredentials = new PricingClient({
      region: "us-east-1",
      endpoint: simulator.running.url,
      maxAttempts: 1,
    });
    const error = await noCredentials.send(query()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("CredentialsProviderError");
    expect(JSON.stringify(simulator.stats)).toBe(before);
  });

  it("answers an unsigned or wrongly scoped request as AWS does, before any operation", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(simulator.running.url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSPriceListService.GetProducts",
          ...headers,
        },
        body: JSON.stringify({ ServiceCode: "AmazonEC2" }),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, string>,
      }));
    const before = simulator.stats.requests.GetProducts;
    expect(await post({})).toEqual({
      status: 400,
      body: { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" },
    });
    const wrongService =
      "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20261207/us-east-1/ce/aws4_request, SignedHeaders=host;x-amz-date, Signature=" +
      "0".repeat(64);
    expect((await post({ authorization: wrongService })).body.__type).toBe("InvalidSignatureException");
    expect(simulator.stats.requests.GetProducts).toBe(before);
    expect(simulator.stats.rejected.unauthenticated).toBeGreaterThanOrEqual(2);
  });

  it("refuses an unknown access key when keys are listed, and answers AccessDeniedException when told to", async () => {
    const strict = await startSimulator({ accessKeyIds: ["AKIDKNOWN"], logger });
    try {
      const stranger = new PricingClient({
        region: "us-east-1",
        endpoint: strict.running.url,
        credentials,
        maxAttempts: 1,
      });
      expect(await outcome(stranger.send(query()))).toBe("UnrecognizedClientException");
    } finally {
      await strict.running.shutdown();
    }
    simulator.setFaults({ accessDenied: true });
    const denied = await client(1)
      .send(query())
      .catch((e: Error) => e);
    expect(denied).toMatchObject({ name: "AccessDeniedException" });
    expect((denied as Error).message).toMatch(/pricing:GetProducts/);
  });

  it("is found by the SDK itself through AWS_ENDPOINT_URL_PRICING", async () => {
    withoutAwsSettings();
    process.env.AWS_ENDPOINT_URL_PRICING = simulator.running.url;
    const before = simulator.stats.requests.GetProducts;
    const fromEnvironment = new PricingClient({ region: "us-east-1", credentials, maxAttempts: 1 });
    expect(await outcome(fromEnvironment.send(query()))).toBe("answered");
    expect(simulator.stats.requests.GetProducts).toBe(before + 1);
  });

  it("keeps a fixed set of counters whatever targets arrive (no per-request growth)", async () => {
    const keys = JSON.stringify(Object.keys(simulator.stats.rejected));
    const signed =
      "AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR/20261207/us-east-1/pricing/aws4_request, SignedHeaders=host, Signature=" +
      "0".repeat(64);
    for (let i = 0; i < 50; i++) {
      const response = await fetch(simulator.running.url, {
        method: "POST",
        headers: { authorization: signed, "x-amz-target": `AWSPriceListService.Made${i}Up` },
        body: "{}",
      });
      expect(((await response.json()) as { __type: string }).__type).toBe("UnknownOperationException");
    }
    expect(JSON.stringify(Object.keys(simulator.stats.rejected))).toBe(keys);
    expect(simulator.stats.rejected.unknownOperation).toBeGreaterThanOrEqual(50);
  });
});
