import type { RuleGroupBuilder } from "./rule";

/** Scrape health, and the always-firing alert that proves the pipeline works. */
export const platformAlerts: RuleGroupBuilder = () => ({
  name: "platform-alerts",
  rules: [
    {
      alert: "TargetDown",
      expr: "up == 0",
      for: "2m",
      labels: { severity: "critical" },
      annotations: {
        summary: "{{ $labels.job }} target {{ $labels.instance }} is down",
        description:
          "Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes. Its other alerts are silenced while this one fires.",
        value: "{{ $value }}",
      },
    },
    {
      alert: "Watchdog",
      expr: "vector(1)",
      labels: { severity: "none" },
      annotations: {
        summary: "The alerting pipeline works",
        description:
          "Always firing. Route it to a dead man's switch (heartbeat) service, which pages when this alert stops arriving: then Prometheus, Alertmanager or the path between them is broken.",
        value: "{{ $value }}",
      },
    },
  ],
});
