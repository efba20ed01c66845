import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceEntry } from "../../catalogue/services";
import { PlatformService, type ServiceAwsIdentity } from "./service";

export interface DeployedService {
  entry: ServiceEntry;
  image: pulumi.Input<string>;
  replicas: number;
  env: Record<string, string>;
  aws?: ServiceAwsIdentity;
}

export interface AppsArgs {
  namespace: string;
  monitoringNamespace: string;
  /** The catalogue's services this stack runs, in catalogue order. */
  services: DeployedService[];
  /** The resource that installs the ServiceMonitor CRD (the kube-prometheus-stack release). */
  monitoringCrds: pulumi.Resource;
  /** The AWS Load Balancer Controller's release, where the stack runs it: its webhook adds pod readiness gates. */
  loadBalancerController?: pulumi.Resource | undefined;
  provider: k8s.Provider;
}

/**
 * With IP targets, a pod counts as ready only once the ALB's target group reports it healthy, so a rolling
 * update never leaves the target group without a healthy target (AWS Load Balancer Controller, "Pod readiness
 * gate"). The controller's webhook injects the gate into pods created after it runs, in namespaces so labelled.
 */
export const POD_READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";

/** The apps namespace (Pod Security restricted, default deny) and one PlatformService per catalogue service. */
export class Apps extends pulumi.ComponentResource {
  readonly namespace: string;
  readonly roleArns: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: AppsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:apps:Apps", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    this.namespace = args.namespace;

    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      {
        metadata: {
          name: args.namespace,
          labels: {
            "pod-security.kubernetes.io/enforce": "restricted",
            "pod-security.kubernetes.io/enforce-version": "latest",
            "pod-security.kubernetes.io/warn": "restricted",
            "pod-security.kubernetes.io/audit": "restricted",
            ...(args.loadBalancerController ? { [POD_READINESS_GATE_LABEL]: "enabled" } : {}),
          },
        },
      },
      args.loadBalancerController ? { ...k8sOpts, dependsOn: [args.loadBalancerController] } : k8sOpts,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-default-deny`,
      {
        metadata: { name: "default-deny", namespace: args.namespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      { ...k8sOpts, dependsOn: [namespace] },
    );

    const ports = new Map(args.services.map((s) => [s.entry.name, s.entry.port]));
    const portOf = (service: string) => {
      const port = ports.get(service);
      if (port === undefined) throw new Error(`egress to ${service}, which this stack does not run`);
      return port;
    };
    for (const service of args.services) {
      const deployed = new PlatformService(
        service.entry.name,
        {
          entry: service.entry,
          namespace: args.namespace,
          monitoringNamespace: args.monitoringNamespace,
          image: service.image,
          replicas: service.replicas,
          env: service.env,
          portOf,
          ...(service.aws ? { aws: service.aws } : {}),
          monitoringCrds: args.monitoringCrds,
          namespaceResource: namespace,
          provider: args.provider,
        },
        { parent: this },
      );
      if (deployed.roleArn) this.roleArns[service.entry.name] = deployed.roleArn;
    }
    this.registerOutputs({ namespace: this.namespace });
  }
}
