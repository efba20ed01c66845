import * as fs from "node:fs";
import * as path from "node:path";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { beforeAll, describe, expect, it } from "vitest";
import { alertmanagerTemplates } from "../../alerts/alertmanager-templates";
import { SSL_POLICY } from "../components/endpoints";
import { kubePrometheusStackRelease } from "../components/monitoring";
import {
  type Inputs,
  type MockedResource,
  type ProgramRun,
  repoRoot,
  runProgram,
} from "../under-mocks/mocks";
import { exampleStackRuns, monitoringRelease, ofType, type StackRuns } from "./stacks";

/**
 * The shop on its own address: the storefront's Ingress (an internet-facing ALB with IP targets), HTTPS with a
 * domain (an ACM certificate validated by DNS records in the stack's zone) and HTTP redirected to it, the
 * load balancer's own name without one; Grafana beside it only over HTTPS; the alerts' dashboard links at the
 * stack's Grafana URL.
 */
const domain = { domain: "shop.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" };

let runs: StackRuns;
let withDomain: ProgramRun;
let publicGrafana: ProgramRun;
let internalGrafana: ProgramRun;
beforeAll(async () => {
  runs = await exampleStackRuns();
  withDomain = await runProgram("dev", domain);
  publicGrafana = await runProgram("dev", { ...domain, grafanaExposure: "public-load-balancer" });
  internalGrafana = await runProgram("dev", { ...domain, grafanaExposure: "internal-load-balancer" });
});

const ingresses = (run: ProgramRun) => ofType(run.resources, "kubernetes:networking.k8s.io/v1:Ingress");
const ingressNamed = (run: ProgramRun, name: string) =>
  ingresses(run).find((i) => i.inputs.metadata.name === name) as MockedResource;
const annotation = (ingress: MockedResource, key: string) =>
  ingress.inputs.metadata.annotations[`alb.ingress.kubernetes.io/${key}`];
/** Where the ALB sends a request for a path: the backend of the first rule path that matches (as ALB orders them). */
const backendFor = (ingress: MockedResource, requestPath: string) =>
  (ingress.inputs.spec.rules[0].http.paths as Inputs[]).find((p) =>
    p.pathType === "Exact" ? requestPath === p.path : requestPath.startsWith(p.path),
  )?.backend.service;

describe("the storefront's Ingress", () => {
  it("dev: an internet-facing ALB with IP targets, plain HTTP on the load balancer's own name", () => {
    const [storefront, ...others] = ingresses(runs.dev);
    expect(others).toEqual([]);
    expect(storefront?.inputs.spec.ingressClassName).toBe("alb");
    expect(storefront?.inputs.metadata.namespace).toBe("platform");
    const shop = storefront as MockedResource;
    expect(annotation(shop, "scheme")).toBe("internet-facing");
    expect(annotation(shop, "target-type")).toBe("ip");
    expect(annotation(shop, "healthcheck-path")).toBe("/ready");
    expect(JSON.parse(annotation(shop, "listen-ports"))).toEqual([{ HTTP: 80 }]);
    expect(annotation(shop, "certificate-arn")).toBeUndefined();
    expect(backendFor(shop, "/")).toEqual({ name: "storefront", port: { number: 8080 } });
    expect(runs.dev.outputs.storefrontUrl).toBe(
      "http://k8s-endpoints-storefront-mock.us-east-1.elb.amazonaws.com",
    );
    expect(ofType(runs.dev.resources, "aws:acm/certificate:Certificate")).toEqual([]);
    // An existing cluster has no load balancer controller: no Ingress.
    expect(ingresses(runs.local)).toEqual([]);
  });

  it("answers /metrics itself: the shop's metrics are Prometheus's, not the internet's", () => {
    const shop = ingressNamed(runs.dev, "storefront");
    const metrics = backendFor(shop, "/metrics");
    expect(metrics?.port).toEqual({ name: "use-annotation" });
    expect(JSON.parse(annotation(shop, `actions.${metrics?.name}`))).toMatchObject({
      type: "fixed-response",
      fixedResponseConfig: { statusCode: "404" },
    });
    expect(backendFor(shop, "/checkout")?.name).toBe("storefront");
  });

  it("with a domain: a DNS-validated certificate, HTTPS with HTTP redirected, alias records to the ALB", () => {
    const [certificate] = ofType(withDomain.resources, "aws:acm/certificate:Certificate");
    expect(certificate?.inputs).toMatchObject({
      domainName: "shop.example.com",
      subjectAlternativeNames: [],
      validationMethod: "DNS",
    });
    const records = ofType(withDomain.resources, "aws:route53/record:Record");
    const validation = records.filter((r) => r.inputs.type === "CNAME");
    // The record ACM asks for (the mock answers as ACM does), in the stack's zone.
    expect(validation.map((r) => [r.inputs.zoneId, r.inputs.name, r.inputs.records])).toEqual([
      ["Z0123456789ABCDEFGHIJ", "_mock-shop.example.com.", ["_mock.acm-validations.aws."]],
    ]);
    const [validated] = ofType(withDomain.resources, "aws:acm/certificateValidation:CertificateValidation");
    expect(validated?.inputs.validationRecordFqdns).toEqual(["_mock-shop.example.com"]);
    const shop = ingressNamed(withDomain, "storefront");
    expect(shop.inputs.spec.rules[0].host).toBe("shop.example.com");
    expect(annotation(shop, "certificate-arn")).toBe(validated?.inputs.certificateArn);
    expect(JSON.parse(annotation(shop, "listen-ports"))).toEqual([{ HTTP: 80 }, { HTTPS: 443 }]);
    expect(annotation(shop, "ssl-redirect")).toBe("443");
    expect(annotation(shop, "ssl-policy")).toBe(SSL_POLICY);
    // The Ingress waits for the certificate to be issued: the ALB's listener cannot use a pending one.
    expect(shop.dependencies).toContainEqual({
      type: "aws:acm/certificateValidation:CertificateValidation",
      name: "endpoints-certificate",
    });
    const alias = records.find((r) => r.inputs.type === "A");
    expect(alias?.inputs).toMatchObject({
      zoneId: "Z0123456789ABCDEFGHIJ",
      name: "shop.example.com",
      aliases: [
        {
          name: "k8s-endpoints-storefront-mock.us-east-1.elb.amazonaws.com",
          zoneId: "ZMOCKELBUSEAST1",
          evaluateTargetHealth: true,
        },
      ],
    });
    expect(withDomain.outputs.storefrontUrl).toBe("https://shop.example.com");
  });

  it("lets the ALB's traffic in: the storefront's NetworkPolicy admits its public subnets on the target port", () => {
    const policy = ofType(runs.dev.resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => p.inputs.metadata.name === "storefront",
    );
    const publicSubnets = ofType(runs.dev.resources, "aws:ec2/subnet:Subnet")
      .filter((s) => s.inputs.tags["kubernetes.io/role/elb"] === "1")
      .map((s) => s.inputs.cidrBlock as string);
    expect(publicSubnets).toHaveLength(2);
    const ipv4 = (ip: string) => ip.split(".").reduce((v, o) => v * 256 + Number(o), 0);
    const inCidr = (ip: string, cidr: string) => {
      const [base = "", bits = "32"] = cidr.split("/");
      const size = 2 ** (32 - Number(bits));
      return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
    };
    // NetworkPolicy semantics: a rule admits a peer if it has no `from` or one entry matches, and the port.
    const admits = (sourceIp: string, port: number) =>
      ((policy?.inputs.spec.ingress ?? []) as Inputs[]).some(
        (rule) =>
          (rule.from === undefined ||
            rule.from.some((peer: Inputs) => peer.ipBlock && inCidr(sourceIp, peer.ipBlock.cidr))) &&
          (rule.ports ?? []).some((p: Inputs) => p.port === port && p.protocol === "TCP"),
      );
    expect(policy?.inputs.spec.policyTypes).toContain("Ingress");
    for (const cidr of publicSubnets) {
      const albAddress = cidr.replace(/\.0\/\d+$/, ".17");
      expect(admits(albAddress, 8080), `${albAddress} (ALB in ${cidr}) to 8080`).toBe(true);
      expect(admits(albAddress, 9999)).toBe(false);
    }
  });

  it("every Ingress is a valid networking.k8s.io/v1 Ingress", () => {
    for (const run of [runs.dev, withDomain, publicGrafana, internalGrafana]) {
      for (const ingress of ingresses(run)) new Ingress(ingress.inputs as never).validate();
    }
  });
});

describe("Grafana behind the load balancer", () => {
  it("public: the shop's load balancer (one IngressGroup), HTTPS at grafana.<domain>, on the same certificate", () => {
    const shop = ingressNamed(publicGrafana, "storefront");
    const grafana = ingressNamed(publicGrafana, "grafana");
    expect(grafana.inputs.metadata.namespace).toBe("monitoring");
    expect(grafana.inputs.spec.rules[0].host).toBe("grafana.shop.example.com");
    expect(backendFor(grafana, "/login")).toEqual({
      name: "kube-prometheus-stack-grafana",
      port: { number: 80 },
    });
    expect(annotation(grafana, "group.name")).toBe(annotation(shop, "group.name"));
    expect(annotation(grafana, "scheme")).toBe("internet-facing");
    expect(annotation(grafana, "ssl-redirect")).toBe("443");
    expect(annotation(grafana, "certificate-arn")).toBe(annotation(shop, "certificate-arn"));
    const [certificate] = ofType(publicGrafana.resources, "aws:acm/certificate:Certificate");
    expect(certificate?.inputs.subjectAlternativeNames).toEqual(["grafana.shop.example.com"]);
    expect(
      ofType(publicGrafana.resources, "aws:route53/record:Record").map(
        (r) => `${r.inputs.type} ${r.inputs.name}`,
      ),
    ).toEqual(
      expect.arrayContaining([
        "A shop.example.com",
        "A grafana.shop.example.com",
        "CNAME _mock-grafana.shop.example.com.",
      ]),
    );
    expect(publicGrafana.outputs.grafanaUrl).toBe("https://grafana.shop.example.com");
    expect(publicGrafana.outputs.grafanaAccess).toContain("https://grafana.shop.example.com");
  });

  it("internal: a load balancer of its own (an ALB's scheme is the whole group's), still HTTPS", () => {
    const shop = ingressNamed(internalGrafana, "storefront");
    const grafana = ingressNamed(internalGrafana, "grafana");
    expect(annotation(grafana, "scheme")).toBe("internal");
    expect(annotation(grafana, "group.name")).not.toBe(annotation(shop, "group.name"));
    expect(annotation(grafana, "ssl-redirect")).toBe("443");
  });

  it("keeps its own login: the admin password from a Pulumi secret in a Kubernetes Secret, no anonymous access, secure cookies", () => {
    const values = monitoringRelease(publicGrafana.resources)?.inputs.values;
    expect(values.grafana.admin.existingSecret).toBe("grafana-admin");
    expect(values.grafana["grafana.ini"]).toEqual({
      server: { root_url: "https://grafana.shop.example.com" },
      security: { cookie_secure: true },
      users: { allow_sign_up: false },
      "auth.anonymous": { enabled: false },
    });
    const secret = ofType(publicGrafana.resources, "kubernetes:core/v1:Secret").find(
      (s) => s.inputs.metadata.name === "grafana-admin",
    );
    expect(secret?.inputs.stringData["admin-password"]).toBe("mock-password-monitoring-grafana-admin");
    expect(publicGrafana.outputs.grafanaAdminPassword).toBe("mock-password-monitoring-grafana-admin");
  });
});

describe("the alerts' Dashboard links", () => {
  it("point at the stack's Grafana URL in the cluster, at the port-forward's address without a load balancer", () => {
    const linksOf = (run: ProgramRun) =>
      monitoringRelease(run.resources)?.inputs.values.alertmanager.templateFiles["telegram.tmpl"] as string;
    expect(linksOf(publicGrafana)).toContain(
      '{{ define "platform.grafana_url" }}https://grafana.shop.example.com{{ end }}',
    );
    expect(linksOf(publicGrafana)).not.toContain("localhost:3000");
    expect(linksOf(runs.dev)).toContain('{{ define "platform.grafana_url" }}http://localhost:3000{{ end }}');
  });

  it("refuse an address that would break out of the template or the link", () => {
    for (const url of [
      'https://evil.example/"><b>',
      "https://x/{{ .Status }}",
      "javascript:alert(1)",
      "http://a b",
    ]) {
      expect(() => alertmanagerTemplates(url), url).toThrow(/plain http\(s\) address/);
    }
  });

  it("the README's test alert goes to the Alertmanager pod the chart creates", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "infra", "README.md"), "utf8");
    // prometheus-operator names an Alertmanager's StatefulSet alertmanager-<name>; the chart's name is
    // <fullnameOverride>-alertmanager.
    expect(readme).toContain(`alertmanager-${kubePrometheusStackRelease}-alertmanager-0`);
    const command = readme.slice(readme.indexOf("amtool alert add"), readme.indexOf("amtool alert query"));
    expect(command).toContain("--annotation=dashboard_uid=");
  });
});
