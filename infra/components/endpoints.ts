import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ALB_INGRESS_CLASS } from "./load-balancer-controller";

/**
 * The stack's addresses: an Ingress for the storefront (an Application Load Balancer with IP targets), with a
 * domain an ACM certificate validated by DNS, HTTPS with HTTP redirected to it and Route 53 records for the
 * names; without one, the load balancer's own HTTP name. Grafana joins the storefront's load balancer (one
 * IngressGroup) at `grafana.<domain>`, over HTTPS only (config.ts refuses it without a domain).
 *
 * | source | read on |
 * | --- | --- |
 * | https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/guide/ingress/annotations.md (scheme, target-type, group.name, listen-ports, ssl-redirect "every HTTP listener … redirects to HTTPS", certificate-arn, ssl-policy, healthcheck-path, actions.${name} fixed-response) | 2026-12-07 |
 * | https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html (the CNAME stays: it lets ACM renew the certificate automatically) | 2026-12-07 |
 * | https://docs.amazonaws.cn/en_us/elasticloadbalancing/latest/application/describe-ssl-policies.md (the console's default for a new HTTPS listener is ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09: TLS 1.3 and 1.2, forward-secret ciphers, post-quantum key exchange; other clients default to ELBSecurityPolicy-2016-08, hence the annotation) | 2026-12-07 |
 */

export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
/** Grafana's host under the stack's domain. */
export const grafanaHost = (domain: string) => `grafana.${domain}`;
/** Where Grafana is without a load balancer: `kubectl port-forward … 3000:80` (the grafanaAccess output). */
export const PORT_FORWARD_GRAFANA_URL = "http://localhost:3000";

/** Where people open Grafana: behind the load balancer at grafana.<domain>, else through the port-forward. */
export function grafanaUrlFor(exposure: string, domain: string | undefined): string {
  return exposure !== "cluster-ip" && domain ? `https://${grafanaHost(domain)}` : PORT_FORWARD_GRAFANA_URL;
}

/** The action the storefront's Ingress answers `/metrics` with: its metrics are Prometheus's, not the internet's. */
const METRICS_NOT_PUBLIC = "metrics-not-public";

export interface Backend {
  namespace: string;
  service: string;
  port: number;
  healthCheckPath: string;
  /** What creates the Service and its pods: the Ingress waits for it, and is deleted before it. */
  dependsOn: pulumi.Resource;
}

export interface EndpointsArgs {
  /** One IngressGroup: the storefront and a public Grafana share one load balancer. */
  groupName: string;
  scheme: "internet-facing" | "internal";
  domain?: string;
  hostedZoneId?: string;
  storefront: Backend;
  /** Only with a domain (HTTPS); internal Grafana gets a load balancer of its own (a group per scheme). */
  grafana?: Backend & { scheme: "internet-facing" | "internal" };
  /** The controller's Helm release: every Ingress depends on it, so each ALB is deleted before it is. */
  controller: pulumi.Resource;
  awsProvider: aws.Provider;
  k8sProvider: k8s.Provider;
}

type Tls = { certificateArn: pulumi.Input<string>; validated: pulumi.Resource };

/** The annotations of an Ingress in a group, with or without TLS. */
export function ingressAnnotations(
  groupName: string,
  scheme: string,
  healthCheckPath: string,
  certificateArn?: pulumi.Input<string>,
): Record<string, pulumi.Input<string>> {
  return {
    "alb.ingress.kubernetes.io/group.name": groupName,
    "alb.ingress.kubernetes.io/scheme": scheme,
    "alb.ingress.kubernetes.io/target-type": "ip",
    "alb.ingress.kubernetes.io/healthcheck-path": healthCheckPath,
    "alb.ingress.kubernetes.io/load-balancer-attributes":
      "routing.http.drop_invalid_header_fields.enabled=true",
    ...(certificateArn
      ? {
          "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/certificate-arn": certificateArn,
          "alb.ingress.kubernetes.io/ssl-policy": SSL_POLICY,
        }
      : { "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }]) }),
  };
}

const backend = (service: string, port: number | "use-annotation") => ({
  service: { name: service, port: typeof port === "number" ? { number: port } : { name: port } },
});

/** The load balancer's DNS name, once the controller has written it into the Ingress's status. */
const hostnameOf = (ingress: k8s.networking.v1.Ingress) =>
  ingress.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname ?? "");

export class Endpoints extends pulumi.ComponentResource {
  readonly storefrontUrl: pulumi.Output<string>;
  readonly grafanaUrl: pulumi.Output<string>;

  constructor(name: string, args: EndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:ingress:Endpoints", name, {}, opts);
    const names = args.domain ? [args.domain, ...(args.grafana ? [grafanaHost(args.domain)] : [])] : [];
    const tls = args.domain && args.hostedZoneId ? this.certificate(name, args, names) : undefined;
    const storefront = this.storefrontIngress(name, args, tls);
    const grafana = args.grafana && tls ? this.grafanaIngress(name, args, args.grafana, tls) : undefined;
    if (args.domain && args.hostedZoneId) {
      this.addressRecord(name, args, args.domain, storefront);
      if (grafana) this.addressRecord(`${name}-grafana`, args, grafanaHost(args.domain), grafana);
    }
    this.storefrontUrl = args.domain
      ? pulumi.output(`https://${args.domain}`)
      : pulumi.interpolate`http://${hostnameOf(storefront)}`;
    this.grafanaUrl = pulumi.output(grafanaUrlFor(grafana ? "load-balancer" : "cluster-ip", args.domain));
    this.registerOutputs({ storefrontUrl: this.storefrontUrl, grafanaUrl: this.grafanaUrl });
  }

  /** A public ACM certificate for the names, validated by DNS records in the stack's hosted zone. */
  private certificate(name: string, args: EndpointsArgs, names: string[]): Tls {
    const awsOpts = { parent: this, provider: args.awsProvider };
    const [domainName, ...alternativeNames] = names as [string, ...string[]];
    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      { domainName, subjectAlternativeNames: alternativeNames, validationMethod: "DNS" },
      awsOpts,
    );
    const records = names.map((host, i) => {
      const option = certificate.domainValidationOptions.apply((options) => {
        const found = options.find((o) => o.domainName === host);
        if (!found && !pulumi.runtime.isDryRun())
          throw new Error(`ACM gave no DNS validation record for ${host}`);
        return found;
      });
      return new aws.route53.Record(
        `${name}-validation-${i}`,
        {
          zoneId: args.hostedZoneId as string,
          name: option.apply((o) => o?.resourceRecordName ?? ""),
          type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
          records: [option.apply((o) => o?.resourceRecordValue ?? "")],
          ttl: 300,
          // A certificate replaced for the same names gets the same validation record.
          allowOverwrite: true,
        },
        awsOpts,
      );
    });
    const validated = new aws.acm.CertificateValidation(
      `${name}-certificate`,
      { certificateArn: certificate.arn, validationRecordFqdns: records.map((record) => record.fqdn) },
      awsOpts,
    );
    return { certificateArn: validated.certificateArn, validated };
  }

  /** The storefront's Ingress: `/` to the shop, `/metrics` answered 404 by the load balancer itself. */
  private storefrontIngress(name: string, args: EndpointsArgs, tls: Tls | undefined) {
    const { storefront } = args;
    return new k8s.networking.v1.Ingress(
      `${name}-storefront`,
      {
        metadata: {
          name: storefront.service,
          namespace: storefront.namespace,
          annotations: {
            ...ingressAnnotations(
              args.groupName,
              args.scheme,
              storefront.healthCheckPath,
              tls?.certificateArn,
            ),
            [`alb.ingress.kubernetes.io/actions.${METRICS_NOT_PUBLIC}`]: JSON.stringify({
              type: "fixed-response",
              fixedResponseConfig: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" },
            }),
          },
        },
        spec: {
          ingressClassName: ALB_INGRESS_CLASS,
          rules: [
            {
              ...(args.domain ? { host: args.domain } : {}),
              http: {
                paths: [
                  {
                    path: "/metrics",
                    pathType: "Prefix",
                    backend: backend(METRICS_NOT_PUBLIC, "use-annotation"),
                  },
                  { path: "/", pathType: "Prefix", backend: backend(storefront.service, storefront.port) },
                ],
              },
            },
          ],
        },
      },
      {
        parent: this,
        provider: args.k8sProvider,
        dependsOn: [args.controller, storefront.dependsOn, ...(tls ? [tls.validated] : [])],
      },
    );
  }

  /** Grafana at grafana.<domain>, HTTPS only; its own login (the grafana-admin Secret) stays in front. */
  private grafanaIngress(
    name: string,
    args: EndpointsArgs,
    grafana: NonNullable<EndpointsArgs["grafana"]>,
    tls: Tls,
  ) {
    const groupName = grafana.scheme === args.scheme ? args.groupName : `${args.groupName}-${grafana.scheme}`;
    return new k8s.networking.v1.Ingress(
      `${name}-grafana`,
      {
        metadata: {
          name: "grafana",
          namespace: grafana.namespace,
          annotations: ingressAnnotations(
            groupName,
            grafana.scheme,
            grafana.healthCheckPath,
            tls.certificateArn,
          ),
        },
        spec: {
          ingressClassName: ALB_INGRESS_CLASS,
          rules: [
            {
              host: grafanaHost(args.domain as string),
              http: {
                paths: [{ path: "/", pathType: "Prefix", backend: backend(grafana.service, grafana.port) }],
              },
            },
          ],
        },
      },
      {
        parent: this,
        provider: args.k8sProvider,
        dependsOn: [args.controller, grafana.dependsOn, tls.validated],
      },
    );
  }

  /** An alias record for a name, to the load balancer the controller made for its Ingress. */
  private addressRecord(name: string, args: EndpointsArgs, host: string, ingress: k8s.networking.v1.Ingress) {
    const awsOpts = { parent: this, provider: args.awsProvider };
    // The ALB's own lookup (the Classic ELB one answers the same zone today, by coincidence of region).
    const elbZone = aws.lb.getHostedZoneIdOutput({ loadBalancerType: "application" }, awsOpts);
    new aws.route53.Record(
      `${name}-address`,
      {
        zoneId: args.hostedZoneId as string,
        name: host,
        type: "A",
        aliases: [{ name: hostnameOf(ingress), zoneId: elbZone.id, evaluateTargetHealth: true }],
      },
      awsOpts,
    );
  }
}
