import type { PolicyDocument } from "./iam";

/**
 * What the AWS Load Balancer Controller may do: AWS's reference policy for the pinned version, scoped to the
 * stack. Every action and every tag condition of AWS's document is kept (the controller may touch only load
 * balancers, target groups and security groups tagged `elbv2.k8s.aws/cluster`, and tags what it creates);
 * what is narrowed:
 *
 * - every write names the resource types it acts on, in the stack's region and account, instead of `*`;
 * - security groups: created only in the stack's VPC, their rules changed only there (`ec2:Vpc`, the scoping
 *   AWS's installation guide recommends for the reference policy's permissive statement);
 * - the WAF, WAFv2 and Shield add-ons are turned off in the chart values (`disabledControllerFeatures`), and
 *   their actions (`waf-regional:*`, `wafv2:*`, `shield:*`, `elasticloadbalancing:SetWebAcl`) left out.
 *
 * | source | read on |
 * | --- | --- |
 * | https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/install/iam_policy.json (tag v3.5.0, commit 11eb202, 2026-08-03) | 2026-12-07 |
 * | https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/v3.5.0/docs/deploy/installation.md ("Configure IAM": scope the permissive statement by `ec2:Vpc`; "isolated cluster": `--enable-shield=false, --enable-waf=false, --enable-wafv2=false`) | 2026-12-07 |
 * | AWS Service Authorization Reference: Elastic Load Balancing V2, Amazon EC2 (resource types and `ec2:Vpc`) | 2026-12-07 |
 *
 * On a controller upgrade, compare the new version's iam_policy.json with this list (new actions, new
 * conditions); infra/test/load-balancer-controller.test.ts evaluates it with an IAM policy evaluator.
 */

export interface ControllerPolicyScope {
  partition: string;
  region: string;
  accountId: string;
  vpcId: string;
}

/** The controller's add-ons whose permissions are left out: the chart values turn them off. */
export const disabledControllerFeatures = { enableShield: false, enableWaf: false, enableWafv2: false };

/** The tag the controller puts on everything it creates; AWS's conditions test for its presence. */
const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/** A data table: one statement per purpose, in the order of AWS's document. */
export function loadBalancerControllerPolicy(scope: ControllerPolicyScope): PolicyDocument {
  const { partition, region, accountId, vpcId } = scope;
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const loadBalancers = [`${elb}:loadbalancer/app/*/*`, `${elb}:loadbalancer/net/*/*`];
  const targetGroups = [`${elb}:targetgroup/*/*`];
  const listeners = [`${elb}:listener/app/*/*/*`, `${elb}:listener/net/*/*/*`];
  const listenerRules = [`${elb}:listener-rule/app/*/*/*/*`, `${elb}:listener-rule/net/*/*/*/*`];
  const securityGroups = `${ec2}:security-group/*`;
  const vpc = `${ec2}:vpc/${vpcId}`;
  const createdTagged = { Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "false" } };
  const ownedByCluster = { Null: { [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" } };
  const retagOwned = {
    Null: { [`aws:RequestTag/${CLUSTER_TAG}`]: "true", [`aws:ResourceTag/${CLUSTER_TAG}`]: "false" },
  };
  const inStackVpc = { ArnEquals: { "ec2:Vpc": vpc } };
  const allow = (Sid: string, Action: string[], Resource: string | string[], Condition?: object) => ({
    Sid,
    Effect: "Allow" as const,
    Action,
    Resource,
    ...(Condition ? { Condition: Condition as Record<string, Record<string, string | string[]>> } : {}),
  });
  return {
    Version: "2012-10-17",
    Statement: [
      allow(
        "ElbServiceLinkedRole",
        ["iam:CreateServiceLinkedRole"],
        `arn:${partition}:iam::${accountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
        { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
      ),
      allow(
        "Discover",
        [
          "ec2:DescribeAccountAttributes",
          "ec2:DescribeAddresses",
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeInternetGateways",
          "ec2:DescribeVpcs",
          "ec2:DescribeVpcPeeringConnections",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeTags",
          "ec2:GetCoipPoolUsage",
          "ec2:DescribeCoipPools",
          "ec2:DescribeIpamPools",
          "ec2:DescribeRouteTables",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeLoadBalancerAttributes",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeListenerCertificates",
          "elasticloadbalancing:DescribeSSLPolicies",
          "elasticloadbalancing:DescribeRules",
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeTags",
          "elasticloadbalancing:DescribeTrustStores",
          "elasticloadbalancing:DescribeListenerAttributes",
          "elasticloadbalancing:DescribeCapacityReservation",
        ],
        "*",
      ),
      allow("SecurityGroupsOfTheStackVpc", ["ec2:GetSecurityGroupsForVpc"], vpc),
      allow(
        "ReadCertificatesAndUserPools",
        [
          "cognito-idp:DescribeUserPoolClient",
          "acm:ListCertificates",
          "acm:DescribeCertificate",
          "iam:ListServerCertificates",
          "iam:GetServerCertificate",
        ],
        "*",
      ),
      allow(
        "SecurityGroupRulesInTheStackVpc",
        ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        securityGroups,
        inStackVpc,
      ),
      allow("CreateSecurityGroupsInTheStackVpc", ["ec2:CreateSecurityGroup"], [securityGroups, vpc]),
      allow("TagSecurityGroupsItCreates", ["ec2:CreateTags"], securityGroups, {
        StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
        ...createdTagged,
      }),
      allow("RetagItsSecurityGroups", ["ec2:CreateTags", "ec2:DeleteTags"], securityGroups, retagOwned),
      allow(
        "ManageItsSecurityGroups",
        ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
        securityGroups,
        { ...ownedByCluster, ...inStackVpc },
      ),
      allow(
        "CreateTaggedLoadBalancers",
        ["elasticloadbalancing:CreateLoadBalancer"],
        loadBalancers,
        createdTagged,
      ),
      allow(
        "CreateTaggedTargetGroups",
        ["elasticloadbalancing:CreateTargetGroup"],
        targetGroups,
        createdTagged,
      ),
      allow("CreateListeners", ["elasticloadbalancing:CreateListener"], loadBalancers),
      allow(
        "ListenersAndRules",
        ["elasticloadbalancing:DeleteListener", "elasticloadbalancing:CreateRule"],
        listeners,
      ),
      allow("DeleteRules", ["elasticloadbalancing:DeleteRule"], listenerRules),
      allow(
        "RetagItsLoadBalancersAndTargetGroups",
        ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        [...targetGroups, ...loadBalancers],
        retagOwned,
      ),
      allow(
        "TagListenersAndRules",
        ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
        [...listeners, ...listenerRules],
      ),
      allow(
        "ManageItsLoadBalancers",
        [
          "elasticloadbalancing:ModifyLoadBalancerAttributes",
          "elasticloadbalancing:SetIpAddressType",
          "elasticloadbalancing:SetSecurityGroups",
          "elasticloadbalancing:SetSubnets",
          "elasticloadbalancing:DeleteLoadBalancer",
          "elasticloadbalancing:ModifyCapacityReservation",
          "elasticloadbalancing:ModifyIpPools",
        ],
        loadBalancers,
        ownedByCluster,
      ),
      allow(
        "ManageItsTargetGroups",
        [
          "elasticloadbalancing:ModifyTargetGroup",
          "elasticloadbalancing:ModifyTargetGroupAttributes",
          "elasticloadbalancing:DeleteTargetGroup",
        ],
        targetGroups,
        ownedByCluster,
      ),
      allow(
        "ManageItsListeners",
        ["elasticloadbalancing:ModifyListenerAttributes"],
        listeners,
        ownedByCluster,
      ),
      allow("TagWhatItCreates", ["elasticloadbalancing:AddTags"], [...targetGroups, ...loadBalancers], {
        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
        ...createdTagged,
      }),
      allow(
        "RegisterTargets",
        ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        targetGroups,
      ),
      allow(
        "ListenerCertificates",
        [
          "elasticloadbalancing:ModifyListener",
          "elasticloadbalancing:AddListenerCertificates",
          "elasticloadbalancing:RemoveListenerCertificates",
        ],
        listeners,
      ),
      allow(
        "RulePriorities",
        ["elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities"],
        listenerRules,
      ),
    ],
  };
}
