import type { PricedInput } from "../inputs";
import { priceCostExporterRequests } from "./cost-explorer";
import { priceEbsVolume } from "./ebs";
import { priceInstance, priceNatGateway, pricePublicIpv4 } from "./ec2";
import { priceEksCluster, priceNodeGroup } from "./eks";
import { priceHelmValues, pricePersistentVolumeClaim, priceStatefulSetClaims } from "./kubernetes-storage";
import { priceAwsLoadBalancer, priceClassicLoadBalancer, priceKubernetesService } from "./load-balancers";
import type { Pricer, PricingContext, ResourcePrice } from "./types";
import { priceKmsKey, priceLogGroup, priceS3Bucket } from "./usage-priced";

/**
 * Resource type → its pricer. A type that is not here is not billed by itself (IAM roles, subnets, security
 * groups, ConfigMaps, …). Kubernetes workloads are not resources AWS bills: what their requests cost is a
 * share of their node group (see ../workloads.ts), and the nodes they need beyond it are priced there.
 */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  "aws:eks/cluster:Cluster": priceEksCluster,
  "aws:eks/nodeGroup:NodeGroup": priceNodeGroup,
  "aws:ec2/instance:Instance": priceInstance,
  "aws:ec2/natGateway:NatGateway": priceNatGateway,
  "aws:ec2/eip:Eip": pricePublicIpv4,
  "aws:ebs/volume:Volume": priceEbsVolume,
  "aws:lb/loadBalancer:LoadBalancer": priceAwsLoadBalancer,
  "aws:alb/loadBalancer:LoadBalancer": priceAwsLoadBalancer,
  "aws:elb/loadBalancer:LoadBalancer": priceClassicLoadBalancer,
  "aws:kms/key:Key": priceKmsKey,
  "aws:s3/bucket:Bucket": priceS3Bucket,
  "aws:s3/bucketV2:BucketV2": priceS3Bucket,
  "aws:cloudwatch/logGroup:LogGroup": priceLogGroup,
  "kubernetes:core/v1:Service": priceKubernetesService,
  "kubernetes:core/v1:PersistentVolumeClaim": pricePersistentVolumeClaim,
  "kubernetes:apps/v1:StatefulSet": priceStatefulSetClaims,
  "kubernetes:apps/v1:Deployment": priceCostExporterRequests,
  "kubernetes:helm.sh/v3:Release": priceHelmValues,
  "kubernetes:helm.sh/v4:Chart": priceHelmValues,
};

export function priceResource(resource: PricedInput, context: PricingContext): ResourcePrice | undefined {
  return PRICERS[resource.type]?.(resource, context);
}
