import type { MockCaller } from "./mock-caller";

// biome-ignore lint/suspicious/noExplicitAny: callers (tests, npm run cost) walk nested inputs of any resource type
export type Inputs = Record<string, any>;

/** What the mocks answer: the state AWS would give a resource back, and the result of a data source. */
export function fakeState(
  type: string,
  name: string,
  inputs: Inputs,
  region: string,
  accountId: string,
): Inputs {
  const arnOf = (service: string, resource: string, regional = true) =>
    `arn:aws:${service}:${regional ? region : ""}:${accountId}:${resource}`;
  const state: Inputs = { ...inputs };
  const physicalName = inputs.name ?? `${name}-mock`;
  switch (type) {
    case "aws:iam/role:Role":
      state.name = physicalName;
      state.arn = `arn:aws:iam::${accountId}:role/${physicalName}`;
      break;
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      state.arn = `arn:aws:iam::${accountId}:oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`;
      break;
    case "aws:eks/cluster:Cluster":
      state.name = physicalName;
      state.arn = arnOf("eks", `cluster/${physicalName}`);
      state.endpoint = `https://MOCK.gr7.${region}.eks.amazonaws.com`;
      state.certificateAuthority = { data: Buffer.from("mock-ca").toString("base64") };
      state.version = inputs.version;
      break;
    case "aws:s3/bucketV2:BucketV2":
    case "aws:s3/bucket:Bucket":
      state.bucket = inputs.bucket ?? physicalName;
      state.arn = `arn:aws:s3:::${state.bucket}`;
      break;
    case "aws:kms/key:Key":
      state.arn = arnOf("kms", `key/${name}-mock`);
      state.keyId = `${name}-mock`;
      break;
    case "aws:ec2/launchTemplate:LaunchTemplate":
      state.latestVersion = 1;
      break;
    case "aws:amp/workspace:Workspace":
      state.arn = arnOf("aps", `workspace/ws-${name}-mock`);
      state.prometheusEndpoint = `https://aps-workspaces.${region}.amazonaws.com/workspaces/ws-${name}-mock/`;
      break;
    case "random:index/randomPassword:RandomPassword":
      state.result = `mock-password-${name}`;
      break;
    case "aws:acm/certificate:Certificate":
      state.arn = arnOf("acm", `certificate/${name}-mock`);
      // What ACM returns: one CNAME per name of the certificate.
      state.domainValidationOptions = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map(
        (domainName: string) => ({
          domainName,
          resourceRecordName: `_mock-${domainName}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_mock.acm-validations.aws.`,
        }),
      );
      break;
    case "aws:acm/certificateValidation:CertificateValidation":
      state.certificateArn = inputs.certificateArn;
      break;
    case "aws:route53/record:Record":
      state.fqdn = String(inputs.name ?? "").replace(/\.$/, "");
      break;
    case "kubernetes:networking.k8s.io/v1:Ingress":
      state.metadata = { ...inputs.metadata };
      // What the load balancer controller writes once the ALB exists.
      state.status = {
        loadBalancer: { ingress: [{ hostname: `k8s-${name}-mock.${region}.elb.amazonaws.com` }] },
      };
      break;
    default:
      if (type.startsWith("aws:")) state.arn = arnOf(type.split(":")[1]?.split("/")[0] ?? "aws", name);
      if (type.startsWith("kubernetes:") && inputs.metadata) {
        state.metadata = { ...inputs.metadata, name: inputs.metadata.name ?? `${name}-mock` };
      }
  }
  return state;
}

export function fakeInvoke(token: string, inputs: Inputs, region: string, caller: MockCaller): Inputs {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const names = ["a", "b", "c", "d"].map((letter) => `${region}${letter}`);
      return { id: region, names, zoneIds: names.map((_, i) => `use1-az${i + 1}`), groupNames: [region] };
    }
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { id: caller.accountId, ...caller };
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getRegion:getRegion":
      return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` };
    case "aws:elb/getHostedZoneId:getHostedZoneId":
      return { id: `ZMOCKELB${region.replace(/-/g, "").toUpperCase()}`, region };
    default:
      return inputs;
  }
}
