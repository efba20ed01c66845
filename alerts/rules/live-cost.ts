import { num, percent } from "../../thresholds/units";
import type { RuleGroupBuilder } from "./rule";

/**
 * What the running platform costs now: the cost exporter's prices (`aws_price_*`, from @platform/prices, the
 * table `npm run cost` reads) joined with what kube-state-metrics reports (nodes and their instance and
 * capacity type, pods' requests, persistent volumes, Services of type LoadBalancer) and the parts outside
 * Kubernetes the exporter reports for the stack (`aws_stack_*`). Node prices are shared out by requests
 * the way OpenCost does it (a CPU and a memory rate per node, from the split of its price); what no request
 * takes is the node's idle cost.
 *
 * The kube-state-metrics labels and annotations below must be on its allowlist (infra/components/
 * monitoring.ts reads these constants); the local demo inventory writes the same series.
 */
export const INVENTORY_NODE_LABELS = {
  instanceType: "node.kubernetes.io/instance-type",
  capacityType: "eks.amazonaws.com/capacityType",
} as const;
export const INVENTORY_SERVICE_ANNOTATIONS = {
  loadBalancerType: "service.beta.kubernetes.io/aws-load-balancer-type",
} as const;

/**
 * The Prometheus label kube-state-metrics makes of a Kubernetes label or annotation key: invalid characters
 * become `_`, camelCase becomes snake_case (kube-state-metrics' SanitizeLabelName; dated in README.md,
 * "Documentation this relies on").
 */
export function kubeStateMetricsLabel(prefix: "label" | "annotation", key: string): string {
  const sanitized = key.replace(/[^a-zA-Z0-9_]/g, "_");
  return `${prefix}_${sanitized.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}`;
}

const INSTANCE_TYPE = kubeStateMetricsLabel("label", INVENTORY_NODE_LABELS.instanceType);
const CAPACITY_TYPE = kubeStateMetricsLabel("label", INVENTORY_NODE_LABELS.capacityType);
const LB_TYPE = kubeStateMetricsLabel("annotation", INVENTORY_SERVICE_ANNOTATIONS.loadBalancerType);

const GIB = 1073741824;
/**
 * kube-state-metrics' requests, one series per container and resource whichever replica reported it: the
 * labels that name a request survive, those of the scrape (instance and the like) do not.
 */
const containerRequests = (selector: string) =>
  `max by (namespace, pod, node, container, resource, unit) (kube_pod_container_resource_requests{${selector}})`;

const REQUESTED = 'resource=~"cpu|memory", unit=~"core|byte"';
/** What one priced unit of each requested resource is: a core, a GiB (by their kube-state-metrics labels). */
const resourceLabels = (series: string, resource: string, unit: string) =>
  `label_replace(label_replace(${series}, "resource", "${resource}", "", ""), "unit", "${unit}", "", "")`;
const REQUEST_UNITS = `(
    ${resourceLabels("vector(1)", "cpu", "core")}
    or ${resourceLabels(`vector(${GIB})`, "memory", "byte")}
  )`;
/** Each node's rate for each resource, per core-hour and per GiB-hour (node, resource, unit). */
const NODE_RATES = `(
    ${resourceLabels("max by (node) (platform:live_cost_node_cpu_rate:usd_per_core_hour)", "cpu", "core")}
    or ${resourceLabels("max by (node) (platform:live_cost_node_memory_rate:usd_per_gib_hour)", "memory", "byte")}
  )`;

/** An owner's series (owner_kind, owner_name) as the workload it is (workload_kind, workload). */
const asWorkload = (series: string) =>
  `label_replace(label_replace(${series}, "workload", "$1", "owner_name", "(.*)"), "workload_kind", "$1", "owner_kind", "(.*)")`;

/** Hours in the price table's month, from the exporter (monthly prices ÷ this = hourly). */
const MONTH_HOURS = "(max(aws_price_table_month_seconds) / 3600)";

/**
 * The workload each pod belongs to, as a series of 1 per pod labelled `workload` and `workload_kind`: a
 * Deployment through its ReplicaSet, or the StatefulSet, DaemonSet or Job itself. Multiply a per-pod series
 * by it (`* on (namespace, pod) group_left (workload, workload_kind)`) to put it under its workload.
 */
export const POD_WORKLOAD = `max by (namespace, pod, workload, workload_kind) (
  label_replace(
    label_replace(kube_pod_owner{owner_kind!="ReplicaSet"}, "workload", "$1", "owner_name", "(.*)"),
    "workload_kind", "$1", "owner_kind", "(.*)"
  )
  or
  label_replace(
    label_replace(
      max by (namespace, pod, replicaset) (
        label_replace(kube_pod_owner{owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.+)")
      )
      * on (namespace, replicaset) group_left (owner_kind, owner_name)
      max by (namespace, replicaset, owner_kind, owner_name) (kube_replicaset_owner),
      "workload", "$1", "owner_name", "(.*)"
    ),
    "workload_kind", "$1", "owner_kind", "(.*)"
  )
)`;

/** The live cost: per node, per part of the bill, per namespace and workload, idle, per request and order. */
export const liveCostRecording: RuleGroupBuilder = () => ({
  name: "live-cost",
  rules: [
    {
      // A node's instance price, by the instance type kube-state-metrics reports for it. SPOT nodes are
      // priced at the on-demand rate (an upper bound, as npm run cost prices them).
      record: "platform:live_cost_node:usd_per_hour",
      expr: `max by (node, instance_type, capacity_type) (
  label_replace(
    label_replace(kube_node_labels, "instance_type", "$1", "${INSTANCE_TYPE}", "(.+)"),
    "capacity_type", "$1", "${CAPACITY_TYPE}", "(.+)"
  )
)
* on (instance_type) group_left ()
max by (instance_type) (aws_price_ec2_instance_usd_per_hour)`,
    },
    {
      // The node price split into a CPU and a memory rate (OpenCost's split, published by the exporter).
      record: "platform:live_cost_node_cpu_rate:usd_per_core_hour",
      expr: `max by (node, instance_type) (
  label_replace(kube_node_labels, "instance_type", "$1", "${INSTANCE_TYPE}", "(.+)")
)
* on (instance_type) group_left ()
max by (instance_type) (aws_price_ec2_instance_vcpu_usd_per_hour)`,
    },
    {
      record: "platform:live_cost_node_memory_rate:usd_per_gib_hour",
      expr: `max by (node, instance_type) (
  label_replace(kube_node_labels, "instance_type", "$1", "${INSTANCE_TYPE}", "(.+)")
)
* on (instance_type) group_left ()
max by (instance_type) (aws_price_ec2_instance_memory_usd_per_gib_hour)`,
    },
    {
      // A running pod's share of its node: CPU requested × the CPU rate + memory requested × the memory rate.
      // Each container's request once: two kube-state-metrics replicas, or the old and new pod of a rolling
      // restart, report the same series under different instances, and summing both would double it. CPU and
      // memory in one pass, joined with the node's rate for the resource: no label is rewritten per pod.
      record: "platform:live_cost_pod:usd_per_hour",
      expr: `sum by (namespace, pod, node) (
  sum by (namespace, pod, node, resource, unit) (${containerRequests(REQUESTED)})
  / on (resource, unit) group_left () ${REQUEST_UNITS}
  * on (node, resource, unit) group_left () ${NODE_RATES}
)
and on (namespace, pod) (max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1)`,
    },
    {
      // What no request takes: the node's price less its running pods' shares.
      record: "platform:live_cost_node_idle:usd_per_hour",
      expr: `clamp_min(
  platform:live_cost_node:usd_per_hour
  - on (node) group_left () sum by (node) (platform:live_cost_pod:usd_per_hour),
  0
)
or platform:live_cost_node:usd_per_hour`,
    },
    {
      // Every node's root volume: an EBS volume Kubernetes does not list among its persistent volumes.
      record: "platform:live_cost_node_root_volume:usd_per_hour",
      expr: `max by (node) (kube_node_info)
* on () group_left (volume_type) max by (volume_type) (aws_stack_node_root_volume_gib)
* on (volume_type) group_left () max by (volume_type) (aws_price_ebs_usd_per_gib_month)
/ on () group_left () ${MONTH_HOURS}`,
    },
    {
      // Persistent volumes at their EBS type's price; a storage class named gp3 or gp2 is that type (the
      // program declares gp3, EKS brings gp2), any other class is not priced.
      record: "platform:live_cost_volume:usd_per_hour",
      expr: `max by (persistentvolume) (kube_persistentvolume_capacity_bytes) / ${GIB}
* on (persistentvolume) group_left (storageclass, volume_type)
max by (persistentvolume, storageclass, volume_type) (
  label_replace(kube_persistentvolume_info, "volume_type", "$1", "storageclass", "(gp3|gp2)")
)
* on (volume_type) group_left () max by (volume_type) (aws_price_ebs_usd_per_gib_month)
/ on () group_left () ${MONTH_HOURS}`,
    },
    {
      // A Service of type LoadBalancer is an NLB when annotated for one (nlb, external, nlb-ip), otherwise a
      // Classic Load Balancer: what the in-tree controller and the AWS Load Balancer Controller create.
      record: "platform:live_cost_load_balancer:usd_per_hour",
      expr: `max by (namespace, service, lb_type) (
  label_replace(
    label_replace(kube_service_annotations, "lb_type", "classic", "", ""),
    "lb_type", "network", "${LB_TYPE}", "nlb|nlb-ip|external"
  )
  and on (namespace, service) kube_service_spec_type{type="LoadBalancer"}
)
* on (lb_type) group_left ()
max by (lb_type) (label_replace(aws_price_load_balancer_usd_per_hour, "lb_type", "$1", "type", "(.+)"))`,
    },
    {
      // The parts outside Kubernetes, each count times its price.
      record: "platform:live_cost_fixed:usd_per_hour",
      expr: `label_replace(max by (stack) (aws_stack_resources{resource="eks_cluster"}), "part", "eks_control_plane", "", "")
  * on () group_left () max(aws_price_eks_cluster_usd_per_hour)
or
label_replace(max by (stack) (aws_stack_resources{resource="eks_extended_support"}), "part", "eks_extended_support", "", "")
  * on () group_left () max(aws_price_eks_extended_support_usd_per_hour)
or
label_replace(max by (stack) (aws_stack_resources{resource="nat_gateway"}), "part", "nat_gateways", "", "")
  * on () group_left () max(aws_price_nat_gateway_usd_per_hour)
or
label_replace(max by (stack) (aws_stack_resources{resource="public_ipv4_address"}), "part", "public_ipv4_addresses", "", "")
  * on () group_left () max(aws_price_public_ipv4_usd_per_hour)
or
label_replace(max by (stack) (aws_stack_resources{resource="kms_key"}), "part", "kms_keys", "", "")
  * on () group_left () (max(aws_price_kms_key_usd_per_month) / ${MONTH_HOURS})`,
    },
    {
      // The run-rate by part of the bill; the parts add up to the total below.
      record: "platform:live_cost:usd_per_hour",
      expr: `label_replace(sum(platform:live_cost_node:usd_per_hour), "part", "nodes", "", "")
or label_replace(sum(platform:live_cost_node_root_volume:usd_per_hour), "part", "node_root_volumes", "", "")
or label_replace(sum(platform:live_cost_volume:usd_per_hour), "part", "persistent_volumes", "", "")
or label_replace(sum(platform:live_cost_load_balancer:usd_per_hour), "part", "load_balancers", "", "")
or sum by (part) (platform:live_cost_fixed:usd_per_hour)`,
    },
    { record: "platform:live_cost_total:usd_per_hour", expr: "sum(platform:live_cost:usd_per_hour)" },
    {
      // What each namespace's workloads take: their pods' shares, the volumes they claim, their load balancers.
      // Each part summed per namespace first, so labels are rewritten per namespace, not per pod.
      record: "platform:live_cost_namespace:usd_per_hour",
      expr: `sum by (namespace) (
  label_replace(sum by (namespace) (platform:live_cost_pod:usd_per_hour), "part", "compute", "", "")
  or
  label_replace(
    sum by (namespace) (
      platform:live_cost_volume:usd_per_hour
      * on (persistentvolume) group_left (namespace)
      max by (persistentvolume, namespace) (
        label_replace(kube_persistentvolume_claim_ref, "namespace", "$1", "claim_namespace", "(.+)")
      )
    ),
    "part", "storage", "", ""
  )
  or
  label_replace(sum by (namespace) (platform:live_cost_load_balancer:usd_per_hour), "part", "load_balancers", "", "")
)`,
    },
    {
      // Pods summed per owner (ReplicaSet, StatefulSet, DaemonSet, Job): the one join over every pod, so what
      // follows is joined and renamed per owner, its count growing with workloads, not pods.
      record: "platform:live_cost_owner:usd_per_hour",
      expr: `sum by (namespace, owner_kind, owner_name) (
  platform:live_cost_pod:usd_per_hour
  * on (namespace, pod) group_left (owner_kind, owner_name)
  max by (namespace, pod, owner_kind, owner_name) (kube_pod_owner)
)`,
    },
    {
      // An owner's share under the workload it is: a Deployment through its ReplicaSet, or the StatefulSet,
      // DaemonSet or Job itself.
      record: "platform:live_cost_workload:usd_per_hour",
      expr: `sum by (namespace, workload, workload_kind) (
  ${asWorkload('platform:live_cost_owner:usd_per_hour{owner_kind!="ReplicaSet"}')}
  or
  ${asWorkload(`sum by (namespace, replicaset) (
      label_replace(platform:live_cost_owner:usd_per_hour{owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.+)")
    )
    * on (namespace, replicaset) group_left (owner_kind, owner_name)
    max by (namespace, replicaset, owner_kind, owner_name) (kube_replicaset_owner)`)}
)`,
    },
    {
      record: "platform:live_cost_idle:usd_per_hour",
      expr: "sum(platform:live_cost_node_idle:usd_per_hour)",
    },
    {
      // Neither a namespace's nor idle: the control plane, NAT gateways, addresses, keys, root volumes and
      // volumes nobody claims. Namespaces + idle + shared = the total.
      record: "platform:live_cost_shared:usd_per_hour",
      expr: `platform:live_cost_total:usd_per_hour
- (sum(platform:live_cost_namespace:usd_per_hour) or vector(0))
- (platform:live_cost_idle:usd_per_hour or vector(0))`,
    },
    {
      // The run-rate labelled with the stack the exporter reports for.
      record: "platform:live_cost_stack:usd_per_hour",
      expr: "platform:live_cost_total:usd_per_hour * on () group_left (stack) max by (stack) (aws_stack_info)",
    },
    {
      // The live cost of one request and one order: the run-rate per second over the last 5 minutes' rate.
      record: "platform:live_cost_per_request:usd",
      expr: `platform:live_cost_total:usd_per_hour / 3600
/ on () (sum(job:app_requests:rate5m) > 0)`,
    },
    {
      record: "platform:live_cost_per_order:usd",
      expr: `platform:live_cost_total:usd_per_hour / 3600
/ on () (sum(rate(app_checkouts_total{outcome="accepted"}[5m])) > 0)`,
    },
    {
      // Revenue per second over the live cost per second: how many dollars each dollar of platform earns.
      record: "platform:live_revenue_per_cost:ratio",
      expr: `sum(job:app_revenue_usd:rate5m) * 3600
/ on () (platform:live_cost_total:usd_per_hour > 0)`,
    },
  ],
});

/**
 * The live cost against what Cost Explorer billed for the same UTC day. Yesterday's live cost is the
 * run-rate averaged over yesterday (a subquery aligned to UTC midnight: Prometheus aligns subquery steps
 * to multiples of the step since the epoch). A yesterday with no sample (before a first midnight, after a
 * gap over the whole day) has no live cost, so nothing is compared: any other window, such as the last 24
 * hours, is another day's cost set against yesterday's bill.
 */
export const reconciliationRecording: RuleGroupBuilder = ({ costTagKey }) => ({
  name: "cost-reconciliation",
  rules: [
    {
      record: "platform:live_cost_yesterday:usd",
      expr: "24 * last_over_time(avg_over_time(platform:live_cost_stack:usd_per_hour[1d])[1d:1d])",
    },
    {
      // The stack's bill yesterday: the spend of its cost-allocation tag (platform:costTagKey, whose value is
      // the stack's name) when the exporter groups by that tag (as in the cluster; nothing yet is 0, not the
      // whole account), else the whole account's bill.
      record: "platform:aws_cost_billed_yesterday:usd",
      expr: `(
  sum by (stack, currency) (
    label_replace(aws_cost_tag_last_complete_day_amount{tag_key="${costTagKey}"}, "stack", "$1", "tag_value", "(.*)")
    and on (stack) aws_stack_info
  )
  or
  0 * sum by (currency) (aws_cost_tag_last_complete_day_amount{tag_key="${costTagKey}"})
    * on () group_left (stack) max by (stack) (aws_stack_info)
)
or
sum by (currency) (aws_cost_last_complete_day_amount) * on () group_left (stack) max by (stack) (aws_stack_info)`,
    },
    {
      // How much more the bill is than what the platform accounts for, as a share of the latter.
      record: "platform:cost_unaccounted:ratio",
      expr: `(
  platform:aws_cost_billed_yesterday:usd
  - on (stack) group_left () platform:live_cost_yesterday:usd
)
/ on (stack) group_left () (platform:live_cost_yesterday:usd > 0)`,
    },
  ],
});

/** Spend the platform does not explain: a forgotten instance, data transfer, a service nobody declared. */
export const reconciliationAlerts: RuleGroupBuilder = ({ thresholds: { cost } }) => ({
  name: "cost-reconciliation-alerts",
  rules: [
    {
      alert: "UnaccountedSpend",
      expr: `platform:cost_unaccounted:ratio > ${num(cost.unaccountedSpendShare)}`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: "Yesterday's bill for {{ $labels.stack }} is well above what the platform accounts for",
        description: `Cost Explorer billed {{ $labels.stack }} {{ $value | humanizePercentage }} more yesterday than its live run-rate over the same UTC day (over ${percent(cost.unaccountedSpendShare)}): spend the platform does not explain, such as an instance nobody declared, data transfer or a service outside the stack.`,
        value: "{{ $value | humanizePercentage }} over the live cost",
      },
    },
  ],
});
