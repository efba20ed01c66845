import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { environmentSecretsSetting } from "../bootstrap/github-settings";
import { runBootstrap } from "./bootstrap-run";
import { one } from "./github-settings-run";

/**
 * The environment secrets the bootstrap owns.
 */

describe("environment secrets the bootstrap owns", () => {
  const secrets = JSON.stringify({
    preview: { PULUMI_ACCESS_TOKEN: "pul-preview" },
    drift: { PULUMI_ACCESS_TOKEN: "pul-drift" },
  });

  it("one Actions secret per entry, in its environment, from a setting stored as a Pulumi secret", async () => {
    const run = await runBootstrap(
      { stateBackend: "false", environmentSecrets: secrets },
      { secretKeys: ["bootstrap:environmentSecrets"] },
    );
    const created = one(run, "actionsEnvironmentSecret:ActionsEnvironmentSecret").map((s) => s.inputs);
    expect(created).toEqual([
      {
        repository: "cost-aware-platform",
        environment: "preview",
        secretName: "PULUMI_ACCESS_TOKEN",
        value: "pul-preview",
      },
      {
        repository: "cost-aware-platform",
        environment: "drift",
        secretName: "PULUMI_ACCESS_TOKEN",
        value: "pul-drift",
      },
    ]);
    // The values reach the resource as Pulumi secrets, so the bootstrap's state keeps them encrypted.
    pulumi.runtime.setAllConfig({ "bootstrap:environmentSecrets": secrets }, [
      "bootstrap:environmentSecrets",
    ]);
    const values = environmentSecretsSetting(["preview", "drift"]);
    expect(await pulumi.isSecret(values.preview?.PULUMI_ACCESS_TOKEN as pulumi.Output<string>)).toBe(true);
  });

  it("keeps the right-sizing app's private key in the drift environment, beside its Pulumi credential", () => {
    const withKey = JSON.stringify({
      drift: { PULUMI_ACCESS_TOKEN: "pul-drift", RIGHTSIZE_APP_PRIVATE_KEY: "pem" },
    });
    pulumi.runtime.setAllConfig({ "bootstrap:environmentSecrets": withKey }, [
      "bootstrap:environmentSecrets",
    ]);
    expect(Object.keys(environmentSecretsSetting(["preview", "drift"]).drift ?? {})).toEqual([
      "PULUMI_ACCESS_TOKEN",
      "RIGHTSIZE_APP_PRIVATE_KEY",
    ]);
  });

  it.each([
    [secrets, [], "holds credentials: set it with pulumi config set --secret"],
    [
      JSON.stringify({ staging: { PULUMI_ACCESS_TOKEN: "x" } }),
      ["bootstrap:environmentSecrets"],
      "staging: not an environment the bootstrap manages (preview, drift, dev, production)",
    ],
    [
      JSON.stringify({ dev: { PULUMI_ACCESS_TOKEN: "x", PULUMI_CONFIG_PASSPHRASE: "y" } }),
      ["bootstrap:environmentSecrets"],
      "dev: one of PULUMI_ACCESS_TOKEN or PULUMI_CONFIG_PASSPHRASE per environment",
    ],
    [
      JSON.stringify({ dev: { AWS_SECRET_ACCESS_KEY: "x" } }),
      ["bootstrap:environmentSecrets"],
      "bootstrap:environmentSecrets:",
    ],
    [
      JSON.stringify({ preview: { PULUMI_ACCESS_TOKEN: "x", RIGHTSIZE_APP_PRIVATE_KEY: "k" } }),
      ["bootstrap:environmentSecrets"],
      "preview.RIGHTSIZE_APP_PRIVATE_KEY: only in the drift environment",
    ],
  ])("refuses %s before any resource", async (value, secretKeys, message) => {
    const error = await runBootstrap({ environmentSecrets: value }, { secretKeys }).then(
      () => undefined,
      (e: Error & { registeredResources?: unknown[] }) => e,
    );
    expect(error?.message).toContain(message);
    expect(error?.registeredResources).toEqual([]);
  });
});
