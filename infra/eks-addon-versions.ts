/**
 * The version of each EKS add-on the program installs, per Kubernetes version: one `platform:kubernetesVersion`
 * bump moves the control plane, every add-on and the nodes together (infra/README.md, "Upgrading Kubernetes").
 * Pinned rather than looked up (`aws.eks.getAddonVersion`) so that a preview or the daily drift check never shows
 * an add-on update nobody committed: AWS moves its default builds every few weeks.
 *
 * | add-on | source | read on |
 * | --- | --- | --- |
 * | kube-proxy | https://docs.aws.amazon.com/ja_jp/eks/latest/userguide/managing-kube-proxy.md, "kube-proxy versions" (1.36: v1.36.0-eksbuild.14, 1.35: v1.35.3-eksbuild.13) | 2026-12-07 |
 * | coredns | https://docs.amazonaws.cn/zh_cn/eks/latest/userguide/managing-coredns.md, "CoreDNS versions" (1.35: v1.13.2-eksbuild.4); 1.36: v1.14.3-eksbuild.16, what a 1.36 cluster's default resolved to (a published test report, 2026) | 2026-12-07 |
 * | vpc-cni | one version for every Kubernetes version, as the "Amazon VPC CNI versions" table of docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html lists it; v1.22.4-eksbuild.3, what a 1.36 cluster's default resolved to (same report) | 2026-12-07 |
 * | eks-pod-identity-agent | v1.3.10-eksbuild.3, the same report and another 1.36 configuration | 2026-12-07 |
 * | aws-ebs-csi-driver | v1.66.0-eksbuild.1, "the version AWS currently marks defaultVersion for Kubernetes 1.36" (mitodl/ol-infrastructure#5959, 2026-09-21); the driver supports every version EKS offers | 2026-12-07 |
 *
 * To refresh a row, ask EKS for its default build of each add-on for that Kubernetes version:
 * `aws eks describe-addon-versions --kubernetes-version 1.36 --addon-name vpc-cni --query
 * 'addons[0].addonVersions[?compatibilities[?defaultVersion]].addonVersion'`.
 * A Kubernetes version without a row is refused before any resource is created (config.ts).
 */
export const EKS_ADDONS = [
  "vpc-cni",
  "kube-proxy",
  "eks-pod-identity-agent",
  "coredns",
  "aws-ebs-csi-driver",
] as const;
export type EksAddon = (typeof EKS_ADDONS)[number];

export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<EksAddon, string>>>> = {
  "1.36": {
    "vpc-cni": "v1.22.4-eksbuild.3",
    "kube-proxy": "v1.36.0-eksbuild.14",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    coredns: "v1.14.3-eksbuild.16",
    "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
  },
  "1.35": {
    "vpc-cni": "v1.22.4-eksbuild.3",
    "kube-proxy": "v1.35.3-eksbuild.13",
    "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
    coredns: "v1.13.2-eksbuild.4",
    "aws-ebs-csi-driver": "v1.66.0-eksbuild.1",
  },
};

/** The add-on versions recorded for a Kubernetes version, or undefined when it has no row. */
export function addonVersionsFor(kubernetesVersion: string): Readonly<Record<EksAddon, string>> | undefined {
  return EKS_ADDON_VERSIONS[kubernetesVersion];
}
