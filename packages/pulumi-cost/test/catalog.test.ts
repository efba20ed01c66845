import { describe, expect, it } from "vitest";
import type { CostConfigInput } from "../src/config.js";
import { costConfig } from "../src/config.js";
import { estimateOf, step } from "./fixtures.js";
import { one } from "./one-resource.js";

/**
 * The resource types priced from the catalogue, each worked out by hand from the price facts' figure and the
 * source it cites (packages/price-facts/data/price-facts.json; the Price List attribute or page named beside
 * each). 730 hours a month. A figure the facts lack in a region is not priced there, never borrowed.
 */
describe("Route 53, KMS, WAF, ACM Private CA, Secrets Manager (by the month)", () => {
  // Route 53 HostedZone $0.50 per zone-month (the May 2025 bill, region "Any": Route 53 is global).
  it.each(["us-east-1", "eu-west-2", "ap-south-1"])("a hosted zone is $0.50 a month in %s", (region) => {
    const r = one("aws:route53/zone:Zone", { name: "example.com", region });
    expect(r.monthly).toBe("0.50");
    expect(r.lines).toEqual(["hosted zone: zone × 1 month × $0.50/month = $0.50"]);
  });

  // WAF: $5 per web ACL-month, $1 per rule-month, $0.60 per million requests (usage types WebACL, Rule,
  // Request; AWS: "consistent across all AWS Regions"). 3 rules: $5 + $3 = $8.00; 10M requests $6.00.
  it.each(["us-east-1", "eu-central-1", "ap-northeast-1"])(
    "a web ACL with 3 rules is $8.00 in %s",
    (region) => {
      const r = one(
        "aws:wafv2/webAcl:WebAcl",
        { region, scope: "REGIONAL", rules: [{ name: "a" }, { name: "b" }, { name: "c" }] },
        { usage: { byType: { "aws:wafv2/webAcl:WebAcl": { requests: 10_000_000 } } } },
      );
      expect(r.monthly).toBe("8.00");
      expect(r.usage).toEqual([{ item: "requests", unitPrice: "0.0000006", estimate: "6.00" }]);
    },
  );

  it("a private CA is $400 a month; short-lived certificate mode is not priced", () => {
    // aws.amazon.com/private-ca/pricing: "$400 per private CA per month for general-purpose mode"
    expect(one("aws:acmpca/certificateAuthority:CertificateAuthority", {}).monthly).toBe("400.00");
    const short = one("aws:acmpca/certificateAuthority:CertificateAuthority", {
      usageMode: "SHORT_LIVED_CERTIFICATE",
    });
    expect(short.notPriced).toEqual([
      "r (aws:acmpca/certificateAuthority:CertificateAuthority): short-lived certificate mode has no price key in pulumi-cost",
    ]);
  });

  it("a KMS replica key or a key with imported material is a $1 key-month", () => {
    // KMS-Keys: "Each AWS KMS key … costs $1/month" (aws.amazon.com/kms/pricing)
    expect(one("aws:kms/replicaKey:ReplicaKey", { region: "eu-west-2" }).monthly).toBe("1.00");
    expect(one("aws:kms/externalKey:ExternalKey", {}).monthly).toBe("1.00");
  });

  it("a secret is $0.40 a month in ap-southeast-1 and us-east-1, and not priced outside the table's regions", () => {
    // APS1-AWSSecretsManager-Secrets $0.40 per secret-month and API requests $0.05 per 10,000 (the bill).
    const singapore = one(
      "aws:secretsmanager/secret:Secret",
      { region: "ap-southeast-1" },
      { resourceUsage: [{ resource: "r", quantities: { apiRequests: 100_000 } }] },
    );
    expect(singapore.monthly).toBe("0.40");
    expect(singapore.usage).toEqual([{ item: "API requests", unitPrice: "0.000005", estimate: "0.50" }]);
    // us-east-1 "Secret" $0.40 (AWS's pricing-page data, aws-pricing-pages-2025-06-18)
    expect(one("aws:secretsmanager/secret:Secret", {}).monthly).toBe("0.40");
    const saoPaulo = one("aws:secretsmanager/secret:Secret", { region: "sa-east-1" });
    expect(saoPaulo.monthly).toBe("0.00");
    expect(saoPaulo.notPriced).toEqual([
      "r (aws:secretsmanager/secret:Secret): no prices for region sa-east-1 in the price table (never priced at another region's)",
    ]);
    expect(saoPaulo.atLeast).toBe(true);
  });
});

describe("databases and caches (by the hour)", () => {
  // RDS for PostgreSQL db.t3.small Single-AZ (InstanceUsage:db.t3.small, databaseEngine PostgreSQL): eu-west-1
  // $0.039 and eu-west-2 $0.041 (GOV.UK PaaS's copy of AWS's prices), ap-southeast-1 $0.056 (the bill).
  // RDS:GP3-Storage per GB-month: eu-west-1 $0.127, eu-west-2 $0.133 (AWS's pricing-page data), ap-southeast-1
  // $0.138 (the bill).
  it.each([
    ["eu-west-1", "0.039", "28.47", "0.127", "2.54", "31.01"],
    ["eu-west-2", "0.041", "29.93", "0.133", "2.66", "32.59"],
    ["ap-southeast-1", "0.056", "40.88", "0.138", "2.76", "43.64"],
  ])("a PostgreSQL db.t3.small in %s is $%s/h", (region, hourly, instance, gb, storage, total) => {
    const r = one("aws:rds/instance:Instance", {
      engine: "postgres",
      instanceClass: "db.t3.small",
      region,
      allocatedStorage: 20,
      storageType: "gp3",
    });
    expect(r.lines).toEqual([
      `db.t3.small instance: db.t3.small × 730 h × $${hourly}/h = $${instance}`,
      `gp3 storage: 20 GB × 1 month × $${gb}/month = $${storage}`,
    ]);
    expect(r.monthly).toBe(total);
    expect(r.notPriced).toEqual([]);
  });

  it("a Multi-AZ MySQL db.m5.large in eu-west-2 is billed at the Multi-AZ rates, instance and storage", () => {
    // Multi-AZUsage:db.m5.large, databaseEngine MySQL: eu-west-2 $0.396 (GOV.UK PaaS) × 730 = $289.08;
    // rds-storage.json "Database Storage Multi AZ General Purpose" (RDS:Multi-AZ-GP2-Storage), EU (London)
    // $0.266 a GB-month: 100 GB = $26.60
    const r = one("aws:rds/instance:Instance", {
      engine: "mysql",
      instanceClass: "db.m5.large",
      multiAz: true,
      region: "eu-west-2",
      allocatedStorage: 100,
    });
    expect(r.lines).toEqual([
      "db.m5.large instance (Multi-AZ): db.m5.large × 730 h × $0.396/h = $289.08",
      "gp2 storage (Multi-AZ): 100 GB × 1 month × $0.266/month = $26.60",
    ]);
    expect(r.notPriced).toEqual([]);
  });

  it.each([
    // rds-storage.json, US East (N. Virginia): "Database Storage Multi AZ General Purpose-GP3" $0.23 a
    // GB-month; "... Multi AZ Provisioned IOPS" $0.25 and "Provisioned IOPS Multi AZ" $0.20 an IOPS-month
    ["gp3", undefined, ["gp3 storage (Multi-AZ): 200 GB × 1 month × $0.23/month = $46.00"]],
    [
      "io1",
      1000,
      [
        "io1 storage (Multi-AZ): 200 GB × 1 month × $0.25/month = $50.00",
        "provisioned IOPS (Multi-AZ): 1,000 IOPS × 1 month × $0.20/month = $200.00",
      ],
    ],
  ])(
    "Multi-AZ %s storage of a PostgreSQL db.t4g.micro in us-east-1 is at the Multi-AZ rate",
    (storageType, iops, lines) => {
      const r = one("aws:rds/instance:Instance", {
        engine: "postgres",
        instanceClass: "db.t4g.micro",
        multiAz: true,
        allocatedStorage: 200,
        storageType,
        ...(iops === undefined ? {} : { iops }),
      });
      expect(r.lines.slice(1)).toEqual(lines);
      expect(r.notPriced).toEqual([]);
    },
  );

  it("a PostgreSQL class the facts do not list is not priced, never at another class's or region's price", () => {
    const r = one("aws:rds/instance:Instance", { engine: "postgres", instanceClass: "db.r8g.large" });
    expect(r.monthly).toBe("0.00");
    expect(r.notPriced[0]).toBe(
      "r (aws:rds/instance:Instance): no rdsPostgresqlHour (db.r8g.large) price for us-east-1 in the price table (never priced at another region's)",
    );
  });

  it("a Redis replication group of two cache.m5.large in eu-west-1 is $251.12; Memcached at its own rate", () => {
    // NodeUsage:cache.m5.large, cacheEngine Redis: eu-west-1 $0.172 (GOV.UK PaaS): 2 × 0.172 × 730 = $251.12
    const r = one("aws:elasticache/replicationGroup:ReplicationGroup", {
      nodeType: "cache.m5.large",
      numCacheClusters: 2,
      region: "eu-west-1",
    });
    expect(r.lines).toEqual(["cache.m5.large node: 2 × cache.m5.large × 730 h × $0.172/h = $251.12"]);
    // 3 shards of a primary and one replica: 6 nodes × 0.172 × 730 = $753.36
    const sharded = one("aws:elasticache/replicationGroup:ReplicationGroup", {
      nodeType: "cache.m5.large",
      numNodeGroups: 3,
      replicasPerNodeGroup: 1,
      region: "eu-west-1",
    });
    expect(sharded.monthly).toBe("753.36");
    // elasticache.json "[OnDemand Cache Instance Standard Memcached Current Generation] ... cache m5.large
    // Memcached ...", EU (Ireland) $0.172: 3 nodes × 0.172 × 730 = $376.68
    const memcached = one("aws:elasticache/cluster:Cluster", {
      engine: "memcached",
      nodeType: "cache.m5.large",
      numCacheNodes: 3,
      region: "eu-west-1",
    });
    expect(memcached.lines).toEqual(["cache.m5.large node: 3 × cache.m5.large × 730 h × $0.172/h = $376.68"]);
    expect(memcached.notPriced).toEqual([]);
    // an engine ElastiCache does not have is not priced
    expect(
      one("aws:elasticache/cluster:Cluster", { engine: "etcd", nodeType: "cache.m5.large" }).notPriced,
    ).toEqual([
      "r (aws:elasticache/cluster:Cluster): ElastiCache engine etcd has no price key in pulumi-cost",
    ]);
  });

  it("Aurora storage is usage: 100 GB × $0.10 = $10.00 in us-east-1 (Aurora:StorageUsage, Infracost's rate)", () => {
    const r = one(
      "aws:rds/cluster:Cluster",
      { engine: "aurora-postgresql" },
      { usage: { byType: { "aws:rds/cluster:Cluster": { storageGb: 100 } } } },
    );
    expect(r.monthly).toBe("0.00");
    expect(r.usage).toEqual([{ item: "Aurora storage", unitPrice: "0.1", estimate: "10.00" }]);
    expect(r.counts.usage).toBe(1);
  });

  it("DynamoDB on demand in ap-southeast-1 is usage; provisioned capacity in us-east-1 is $2.84", () => {
    // APS1-WriteRequestUnits $1.42 and ReadRequestUnits $0.285 per million (the bill): 1M each = $0.71 + $0.14
    const r = one(
      "aws:dynamodb/table:Table",
      { billingMode: "PAY_PER_REQUEST", region: "ap-southeast-1" },
      {
        usage: {
          byType: { "aws:dynamodb/table:Table": { writeRequestUnits: 500_000, readRequestUnits: 1_000_000 } },
        },
      },
    );
    expect(r.usage.slice(0, 2)).toEqual([
      { item: "write request units", unitPrice: "0.00000071", estimate: "0.36" },
      { item: "read request units", unitPrice: "0.0000001425", estimate: "0.14" },
    ]);
    // us-east-1 "Provisioned Write Units" $0.00065 and "Provisioned Read Units" $0.00013 (AWS's pricing-page data):
    // 5 × 730 × 0.00065 = $2.37 and 5 × 730 × 0.00013 = $0.47, each line to the cent
    const provisioned = one("aws:dynamodb/table:Table", { writeCapacity: 5, readCapacity: 5 });
    expect(provisioned.monthly).toBe("2.84");
  });
});

describe("serverless, messaging and APIs (usage)", () => {
  it("Lambda: requests and GB-seconds from the usage file, a named function's own quantities first", () => {
    // us-east-1: Request $0.20 per million, Lambda-GB-Second $0.0000166667, -ARM $0.0000133334 (Infracost's rates)
    const config: CostConfigInput = {
      usage: { byType: { "aws:lambda/function:Function": { requests: 1_000_000, gbSeconds: 400_000 } } },
      resourceUsage: [{ resource: "arm", quantities: { gbSeconds: 1_000_000 } }],
    };
    const x86 = one("aws:lambda/function:Function", { memorySize: 512 }, config, "x86");
    expect(x86.usage).toEqual([
      { item: "requests", unitPrice: "0.0000002", estimate: "0.20" },
      { item: "duration (x86)", unitPrice: "0.0000166667", estimate: "6.67" },
    ]);
    const arm = one("aws:lambda/function:Function", { architectures: ["arm64"] }, config, "arm");
    expect(arm.usage[1]).toEqual({ item: "duration (Arm)", unitPrice: "0.0000133334", estimate: "13.33" });
  });

  it("with no usage given, a usage-based type is listed at its unit prices, never as $0", () => {
    const r = one("aws:sqs/queue:Queue", {});
    expect(r.usage).toEqual([{ item: "requests", unitPrice: "0.0000004", estimate: undefined }]);
    expect(r.counts).toMatchObject({ usage: 1, free: 0, notPriced: 0 });
  });

  it.each([
    // Requests-RBP $0.40 per million (us-east-1), SNS Requests-Tier1 $0.50 per million (eu-west-1),
    // ApiGatewayRequest $3.50 and ApiGatewayHttpRequest $1.00 per million (us-east-1): Infracost's rates
    ["aws:sqs/queue:Queue", {}, "0.40"],
    ["aws:sns/topic:Topic", { region: "eu-west-1" }, "0.50"],
    ["aws:apigateway/restApi:RestApi", {}, "3.50"],
    ["aws:apigatewayv2/api:Api", { protocolType: "HTTP" }, "1.00"],
  ])("%s: a million requests cost $%s", (type, inputs, estimate) => {
    const r = one(type, inputs as Record<string, unknown>, {
      usage: { byType: { [type]: { requests: 1_000_000 } } },
    });
    expect(r.usage[0]?.estimate).toBe(estimate);
  });

  it("FIFO queues and WebSocket APIs are not priced", () => {
    expect(one("aws:sqs/queue:Queue", { fifoQueue: true }).notPriced).toEqual([
      "r (aws:sqs/queue:Queue): FIFO queue requests have no price key in pulumi-cost",
    ]);
    expect(one("aws:apigatewayv2/api:Api", { protocolType: "WEBSOCKET" }).atLeast).toBe(true);
  });
});

describe("networking", () => {
  it("an interface endpoint in two AZs is 2 × 730 endpoint-hours, its data usage; a gateway endpoint is free", () => {
    // vpc_endpoint golden: "Endpoint (Interface) 1,460 hours $14.60" (VpcEndpoint-Hours $0.01) and
    // "Data processed (first 1PB) $0.01 per GB" (VpcEndpoint-Bytes), us-east-1
    const r = one(
      "aws:ec2/vpcEndpoint:VpcEndpoint",
      { vpcEndpointType: "Interface", subnetIds: ["subnet-a", "subnet-b"] },
      { usage: { byType: { "aws:ec2/vpcEndpoint:VpcEndpoint": { dataProcessedGb: 100 } } } },
    );
    expect(r.monthly).toBe("14.60");
    expect(r.usage).toEqual([{ item: "data processed", unitPrice: "0.01", estimate: "1.00" }]);
    expect(one("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Gateway" }).counts).toMatchObject({
      free: 1,
    });
  });

  it("a VPN connection and a Transit Gateway attachment are $36.50 each in us-east-1; a Gateway Load Balancer $9.13", () => {
    // vpn_connection golden: "VPN connection 730 hours $36.50" (VPN-Usage-Hours $0.05);
    // ec2_transit_gateway_vpc_attachment golden: "Transit gateway attachment 730 hours $36.50" ($0.05)
    expect(one("aws:ec2/vpnConnection:VpnConnection", {}).monthly).toBe("36.50");
    expect(one("aws:ec2transitgateway/vpcAttachment:VpcAttachment", {}).monthly).toBe("36.50");
    // "Gateway Load Balancer Hours" us-east-1 $0.0125 (AWS's pricing-page data): 730 × 0.0125 = $9.125
    const gwlb = one("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "gateway" });
    expect(gwlb.monthly).toBe("9.13");
    expect(one("aws:ec2/vpnConnection:VpnConnection", { region: "sa-east-1" }).notPriced).toEqual([
      "r (aws:ec2/vpnConnection:VpnConnection): no prices for region sa-east-1 in the price table (never priced at another region's)",
    ]);
  });
});

describe("containers on Fargate (us-east-1)", () => {
  // Fargate Linux x86: $0.04048 per vCPU-hour, $0.004445 per GB-hour (the price facts' source
  // fargate-factualminds-2026-06; Infracost's ecs_service golden: "Per vCPU per hour 2 CPU $59.10",
  // "Per GB per hour 4 GB $12.98")
  it("an ECS service of 2 tasks of 1 vCPU and 2 GB is $59.10 + $12.98 = $72.08", () => {
    const e = estimateOf([
      step("create", "aws:ecs/taskDefinition:TaskDefinition", "task", undefined, {
        family: "web",
        cpu: "1024",
        memory: "2048",
        requiresCompatibilities: ["FARGATE"],
      }),
      step("create", "aws:ecs/service:Service", "web", undefined, {
        launchType: "FARGATE",
        taskDefinition: "web:1",
        desiredCount: 2,
      }),
    ]);
    const row = e.rows.find((r) => r.name === "web");
    expect(row?.after?.components.map((c) => c.arithmetic.plain)).toEqual([
      "2 × vCPU × 730 h × $0.04048/h = $59.10",
      "4 × GB × 730 h × $0.004445/h = $12.98",
    ]);
    expect(row?.afterMonthly.toFixed(2)).toBe("72.08");
  });

  it("an EKS Fargate profile is usage: 730 vCPU-hours are $29.55 and 730 GB-hours $3.24", () => {
    const type = "aws:eks/fargateProfile:FargateProfile";
    const r = one(type, {}, { usage: { byType: { [type]: { vcpuHours: 730, gbHours: 730 } } } });
    expect(r.usage).toEqual([
      { item: "Fargate vCPU of its pods", unitPrice: "0.04048", estimate: "29.55" },
      { item: "Fargate memory of its pods", unitPrice: "0.004445", estimate: "3.24" },
    ]);
    // eu-west-1 "Fargate perCPU per hours" $0.04048 (AWS's pricing-page data); sa-east-1 is not in the table
    const ireland = one(type, { region: "eu-west-1" }, { usage: { byType: { [type]: { vcpuHours: 730 } } } });
    expect(ireland.usage[0]).toEqual({
      item: "Fargate vCPU of its pods",
      unitPrice: "0.04048",
      estimate: "29.55",
    });
    expect(one(type, { region: "sa-east-1" }).atLeast).toBe(true);
  });
});

describe("usage quantities in the configuration", () => {
  it("refuses an unknown quantity or type, naming it", () => {
    expect(() =>
      costConfig({ usage: { byType: { "aws:lambda/function:Function": { invocations: 5 } } } }),
    ).toThrow(/usage.byType.aws:lambda\/function:Function/);
    expect(() => costConfig({ usage: { byType: { "aws:ec2/vpc:Vpc": { requests: 5 } } } })).toThrow(
      /usage.byType/,
    );
    expect(() =>
      costConfig({
        resourceUsage: [{ resource: "q", type: "aws:sqs/queue:Queue", quantities: { gbSeconds: 1 } }],
      }),
    ).toThrow(/quantities.gbSeconds: not a usage quantity of aws:sqs\/queue:Queue/);
  });
});

describe("Auto Scaling groups", () => {
  it("price desiredCapacity instances of the launch template's type and their root volumes", () => {
    // BoxUsage:t3.large $0.0832 (us-east-1): 3 × 0.0832 × 730 = $182.21; gp3 $0.08: 3 × 30 GiB = $7.20
    const e = estimateOf([
      step("create", "aws:ec2/launchTemplate:LaunchTemplate", "workers", undefined, {
        name: "workers",
        instanceType: "t3.large",
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3" } }],
      }),
      step("create", "aws:autoscaling/group:Group", "asg", undefined, {
        desiredCapacity: 3,
        minSize: 1,
        maxSize: 5,
        launchTemplate: { name: "workers", version: "$Latest" },
      }),
      step("create", "aws:autoscaling/group:Group", "mixed", undefined, {
        minSize: 2,
        mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: "m5.large" }] } },
      }),
    ]);
    expect(e.rows.find((r) => r.name === "asg")?.afterMonthly.toFixed(2)).toBe("189.41");
    expect(e.notPriced.map((t) => t.plain)).toEqual([
      "mixed (aws:autoscaling/group:Group): only an Auto Scaling group with one launch template is priced (not mixedInstancesPolicy, not a launch configuration)",
    ]);
  });
});

describe("EC2 instances per region (BoxUsage:<type>, on-demand Linux, shared tenancy)", () => {
  const instance = (instanceType: string, region: string) =>
    one("aws:ec2/instance:Instance", { instanceType, region });

  // c7g.large: us-east-2 $0.0723, ap-south-1 $0.0491, eu-west-2 $0.0859 (SkyPilot catalogue; Ohio is not
  // Virginia's $0.0725, so nothing is carried between regions)
  it.each([
    ["us-east-2", "0.0723", "52.78"],
    ["ap-south-1", "0.0491", "35.84"],
    ["eu-west-2", "0.0859", "62.71"],
  ])("a c7g.large in %s is $%s/h × 730 h", (region, hourly, monthly) => {
    const r = instance("c7g.large", region);
    expect(r.lines).toEqual([`c7g.large instance: c7g.large × 730 h × $${hourly}/h = $${monthly}`]);
    expect(r.monthly).toBe(monthly);
  });

  // m7i.xlarge: ap-northeast-1 $0.2604, ap-southeast-2 $0.252, ap-south-1 $0.2121 (SkyPilot catalogue)
  it.each([
    ["ap-northeast-1", "190.09"],
    ["ap-southeast-2", "183.96"],
    ["ap-south-1", "154.83"],
  ])("an m7i.xlarge in %s is $%s a month", (region, monthly) => {
    expect(instance("m7i.xlarge", region).monthly).toBe(monthly);
  });

  it("an m8g.large is $46.84 in ap-south-1 (v7 catalogue) and $81.91 in ap-southeast-1 (v9); a c9g.large is not priced there", () => {
    // ap-south-1 $0.06416 × 730 = $46.84; ap-southeast-1 $0.1122 × 730 = $81.906; no source lists c9g outside us-east-1
    expect(instance("m8g.large", "ap-south-1").monthly).toBe("46.84");
    expect(instance("m8g.large", "ap-southeast-1").monthly).toBe("81.91");
    expect(instance("c9g.large", "ap-southeast-1").notPriced).toEqual([
      "r (aws:ec2/instance:Instance): instance type c9g.large is not in the price table for this region",
    ]);
  });

  // r5.large: eu-west-1 $0.141, ap-northeast-1 $0.152, ap-south-1 $0.13 (SkyPilot catalogue; us-east-1's
  // $0.126 is Karpenter's and the catalogue's alike)
  it.each([
    ["eu-west-1", "0.141", "102.93"],
    ["ap-northeast-1", "0.152", "110.96"],
    ["ap-south-1", "0.13", "94.90"],
  ])("an r5.large in %s is $%s/h × 730 h", (region, hourly, monthly) => {
    const r = instance("r5.large", region);
    expect(r.lines).toEqual([`r5.large instance: r5.large × 730 h × $${hourly}/h = $${monthly}`]);
    expect(r.monthly).toBe(monthly);
  });

  it("an r6a.large is $0.1269/h in eu-west-1 (SkyPilot) and $0.1332/h in eu-west-2, which only the anycloud catalogue lists", () => {
    // 730 × 0.1269 = $92.637; 730 × 0.1332 = $97.236
    expect(instance("r6a.large", "eu-west-1").monthly).toBe("92.64");
    expect(instance("r6a.large", "eu-west-2").monthly).toBe("97.24");
  });

  it("an m7i.metal-24xl has Karpenter's us-east-1 price only: the catalogue's figure disagreed and was not taken", () => {
    // us-east-1 $5.32224 × 730 = $3,885.2352 (Karpenter snapshot of 2026-07-20)
    expect(instance("m7i.metal-24xl", "us-east-1").monthly).toBe("3885.24");
    expect(instance("m7i.metal-24xl", "eu-west-1").notPriced).toHaveLength(1);
  });
});
