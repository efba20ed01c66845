import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { alertmanagerTemplates } from "../../alerts/alertmanager-templates";
import { PORT_FORWARD_GRAFANA_URL } from "../components/endpoints";
import { telegramSecretName } from "../components/monitoring";
import { dashboardFiles, ruleFiles } from "../components/monitoring-files";
import { repoRoot } from "../under-mocks/mocks";
import { dashboards, example, rules, runs, stackThresholds, useExampleStackRuns } from "./program-run";
import { monitoringRelease, ofType } from "./stacks";

/** The program under mocks: the dashboards, rules and Alertmanager configuration it puts in the cluster. */
useExampleStackRuns();

describe("dashboards, rules and Alertmanager configuration in the cluster", () => {
  it("builds every committed dashboard and rule file, and nothing else", () => {
    const committed = (dir: string, suffix: string) =>
      fs
        .readdirSync(path.join(repoRoot, dir))
        .filter((f) => f.endsWith(suffix) && !f.endsWith(".rules.test.yml"))
        .sort();
    expect(dashboards.map((d) => d.file)).toEqual(committed("dashboards", ".json"));
    expect(rules.map((r) => r.file)).toEqual(committed("alerts", ".rules.yml"));
  });

  it.each(["dev", "local", "prod"] as const)(
    "%s: each dashboard ConfigMap holds the dashboard built from the stack's thresholds, labelled for the Grafana sidecar",
    (stack) => {
      const configMaps = ofType(example(stack).resources, "kubernetes:core/v1:ConfigMap");
      for (const { file, content } of dashboardFiles(stackThresholds(stack))) {
        const configMap = configMaps.find((c) => c.inputs.data?.[file] !== undefined);
        expect(configMap, file).toBeDefined();
        expect(configMap?.inputs.data[file]).toBe(content);
        expect(Object.keys(configMap?.inputs.data ?? {})).toEqual([file]);
        expect(configMap?.inputs.metadata.labels.grafana_dashboard).toBe("1");
      }
    },
  );

  it("a stack at the default thresholds gets the committed dashboards and rule files byte for byte", () => {
    const configMaps = ofType(runs.local.resources, "kubernetes:core/v1:ConfigMap");
    for (const { file } of dashboards) {
      const onDisk = fs.readFileSync(path.join(repoRoot, "dashboards", file), "utf8");
      expect(configMaps.find((c) => c.inputs.data?.[file] !== undefined)?.inputs.data[file], file).toBe(
        onDisk,
      );
    }
    const prometheusRules = ofType(
      runs.local.resources,
      "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    );
    for (const { file } of rules) {
      const onDisk = parseYaml(fs.readFileSync(path.join(repoRoot, "alerts", file), "utf8"));
      expect(
        prometheusRules.filter((r) => isDeepStrictEqual(r.inputs.spec, onDisk)),
        file,
      ).toHaveLength(1);
    }
  });

  it("each PrometheusRule's spec is its rule file built from the stack's thresholds, and the operator selects it", () => {
    const prometheusRules = ofType(runs.dev.resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    const release = monitoringRelease(runs.dev.resources);
    expect(release?.inputs.values.prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues).toBe(false);
    // Our TargetDown and Watchdog replace the chart's "general" group rather than duplicating it.
    expect(release?.inputs.values.defaultRules.rules.general).toBe(false);
    const ours = fs
      .readdirSync(path.join(repoRoot, "alerts"))
      .filter((f) => f.endsWith(".rules.yml"))
      .flatMap((f) => fs.readFileSync(path.join(repoRoot, "alerts", f), "utf8").match(/alert: \w+/g) ?? []);
    expect(ours).toEqual(expect.arrayContaining(["alert: TargetDown", "alert: Watchdog"]));
    for (const { file, content } of ruleFiles(stackThresholds("dev"))) {
      const matching = prometheusRules.filter((r) => isDeepStrictEqual(r.inputs.spec, parseYaml(content)));
      expect(matching, file).toHaveLength(1);
      expect(matching[0]?.inputs.metadata.labels.release).toBe("kube-prometheus-stack");
    }
  });

  it("Alertmanager gets alerts/alertmanager.yml with the chat id, the templates verbatim, the token Secret", async () => {
    const { runProgram } = await import("../under-mocks/mocks");
    const run = await runProgram("dev", { telegramChatId: "-1001234567890" });
    const release = monitoringRelease(run.resources);
    const alertmanager = release?.inputs.values.alertmanager;
    const file = parseYaml(fs.readFileSync(path.join(repoRoot, "alerts", "alertmanager.yml"), "utf8"));
    const telegramReceivers = (
      alertmanager.config.receivers as { telegram_configs?: { chat_id: number }[] }[]
    ).flatMap((r) => r.telegram_configs ?? []);
    expect(telegramReceivers.length).toBeGreaterThan(0);
    expect(telegramReceivers.every((t) => t.chat_id === -1001234567890)).toBe(true);
    for (const receiver of file.receivers) {
      for (const telegram of receiver.telegram_configs ?? []) telegram.chat_id = -1001234567890;
    }
    expect(alertmanager.config).toEqual(file);
    // Without a load balancer Grafana is reached through the port-forward: the committed templates verbatim.
    const templates = fs
      .readdirSync(path.join(repoRoot, "alerts", "templates"))
      .filter((f) => f.endsWith(".tmpl"));
    expect(Object.keys(alertmanager.templateFiles).sort()).toEqual(templates.sort());
    for (const template of templates) {
      expect(alertmanager.templateFiles[template]).toBe(
        fs.readFileSync(path.join(repoRoot, "alerts", "templates", template), "utf8"),
      );
    }
    expect(alertmanager.templateFiles).toEqual(alertmanagerTemplates(PORT_FORWARD_GRAFANA_URL));
    expect(alertmanager.alertmanagerSpec.secrets).toEqual([telegramSecretName]);
    const secret = ofType(run.resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === telegramSecretName,
    );
    expect(Object.keys(secret?.inputs.stringData ?? {})).toEqual(["bot-token"]);
  });

  it("the bot token comes from the secret setting", async () => {
    const { runProgram } = await import("../under-mocks/mocks");
    const run = await runProgram("dev", { "platform:telegramBotToken": "123:token-from-config" });
    const secret = ofType(run.resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === telegramSecretName,
    );
    expect(secret?.inputs.stringData["bot-token"]).toBe("123:token-from-config");
  });
});
