import { describe, expect, it } from "vitest";
import { estimateOf, step } from "./fixtures.js";
import { one } from "./one-resource.js";

/**
 * Prices outside us-east-1, each figure worked out by hand from the price facts' source line it cites. Most
 * come from AWS's own pricing-page data as the repository QuinnyPig/aws-price-watcher recorded it on
 * 2025-06-18 (source aws-pricing-pages-2025-06-18, file processed/<service>.json, row and location named in
 * each comment). 730 hours a month; each line is rounded to the cent.
 */
describe("load balancers in new regions", () => {
  // elb.json "Application Load Balancer Hours": Tokyo $0.0243, London $0.02646, Mumbai $0.0239, Ohio $0.0225
  it.each([
    ["ap-northeast-1", "0.0243", "17.74"],
    ["eu-west-2", "0.02646", "19.32"],
    ["ap-south-1", "0.0239", "17.45"],
    ["us-east-2", "0.0225", "16.43"],
  ])("an ALB in %s is $%s/h, $%s a month", (region, hourly, monthly) => {
    const r = one("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "application", region });
    expect(r.monthly).toBe(monthly);
    expect(r.lines[0]).toContain(`730 h × $${hourly}/h = $${monthly}`);
  });

  it("2 LCUs all month are usage at the region's rate: $12.26 in London, $11.68 in Sydney", () => {
    // elb.json "Application Load Balancer LCU Hours": EU (London) $0.0084, Asia Pacific (Sydney) $0.008:
    // 2 × 730 × 0.0084 = $12.264, 2 × 730 × 0.008 = $11.68
    const lcus = (region: string) =>
      one(
        "aws:lb/loadBalancer:LoadBalancer",
        { loadBalancerType: "application", region },
        { usage: { loadBalancer: { capacityUnitsPerHour: 2 } } },
      ).usage;
    expect(lcus("eu-west-2")).toMatchObject([{ unitPrice: "0.0084", estimate: "12.26" }]);
    expect(lcus("ap-southeast-2")).toMatchObject([{ unitPrice: "0.008", estimate: "11.68" }]);
  });

  it("an NLB in Sydney is $18.40 and a Gateway Load Balancer in Frankfurt $10.73", () => {
    // elb.json "Network Load Balancer Hours" Asia Pacific (Sydney) $0.0252: 730 × 0.0252 = $18.396;
    // "Gateway Load Balancer Hours" EU (Frankfurt) $0.0147: 730 × 0.0147 = $10.731
    expect(
      one("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "network", region: "ap-southeast-2" })
        .monthly,
    ).toBe("18.40");
    expect(
      one("aws:lb/loadBalancer:LoadBalancer", { loadBalancerType: "gateway", region: "eu-central-1" })
        .monthly,
    ).toBe("10.73");
  });
});

describe("NAT gateways and EBS in new regions", () => {
  // nat-cloudburn-2026-02-24: "$0.045/hour in US East", "($32.40 hourly + $4.50 data processing)" for a NAT gateway
  // in US East Ohio with 100 GB; nat-offer-2026-09-05: APN1-NatGateway-Hours 0.062 and nat-gb-apne1-awsi-click:
  // "$0.062 per GB" (Tokyo)
  // nat-gb-aps2-2026-09-01: "Prices verified 1 September 2026 against the AWS Pricing API for ap-southeast-2",
  // "NAT Gateway | $43.07 | $0.059" (per GB); nat-gb-aps3-bill-2026-09-16: "NAT_H, NAT_GB = 0.056, 0.056", the
  // rates a Mumbai account was billed; nat-offer-2026-09-05 (togen's cut of the AmazonEC2 offer file):
  // EUW2-NatGateway-Hours 0.05 and nat-offer-euw2-2026-09-04: EUW2-NatGateway-Bytes 0.05 (London)
  it.each([
    ["us-east-2", "0.045", "32.85", "4.50"],
    ["ap-northeast-1", "0.062", "45.26", "6.20"],
    ["ap-southeast-2", "0.059", "43.07", "5.90"],
    ["ap-south-1", "0.056", "40.88", "5.60"],
    ["eu-west-2", "0.05", "36.50", "5.00"],
  ])("a NAT gateway in %s at $%s is $%s a month and 100 GB through it $%s", (region, rate, monthly, data) => {
    const r = one(
      "aws:ec2/natGateway:NatGateway",
      { region },
      { usage: { natGateway: { dataProcessedGb: 100 } } },
    );
    expect(r.monthly).toBe(monthly);
    expect(r.notPriced).toEqual([]);
    expect(r.usage).toEqual([{ item: "NAT gateway data processed", unitPrice: rate, estimate: data }]);
  });

  it("a 100 GB gp3 volume in us-east-2 is $8.00", () => {
    // opencost-offer-use2-2023-03-22 (the AmazonEC2 offer excerpt in OpenCost's provider_test.go): "$0.08 per
    // GB-month of General Purpose (gp3) provisioned storage - US East (Ohio)": 100 × 0.08 = $8.00
    expect(one("aws:ebs/volume:Volume", { type: "gp3", size: 100, region: "us-east-2" }).monthly).toBe(
      "8.00",
    );
  });

  it("EBS in Tokyo: 50 GB gp2 are $6.00 and 1,000 GB io1 with 800 IOPS $201.20", () => {
    // infracost-golden-apne1-2024-07-01 (breakdown_with_multiple_providers golden, ap-northeast-1): "Storage
    // (general purpose SSD, gp2) 50 GB $6.00", "Storage (provisioned IOPS SSD, io1) 1,000 GB $142.00",
    // "Provisioned IOPS 800 IOPS $59.20"
    expect(one("aws:ebs/volume:Volume", { type: "gp2", size: 50, region: "ap-northeast-1" }).monthly).toBe(
      "6.00",
    );
    expect(
      one("aws:ebs/volume:Volume", { type: "io1", size: 1000, iops: 800, region: "ap-northeast-1" }).monthly,
    ).toBe("201.20");
  });

  it("gp3 in Tokyo: 500 GB with 6,000 IOPS and 250 MiB/s are $72.00", () => {
    // ebs-apne1-price-list-2026-09-13: APN1-EBS:VolumeUsage.gp3 0.096, APN1-EBS:VolumeP-IOPS.gp3 0.006,
    // APN1-EBS:VolumeP-Throughput.gp3 49.152 per GiBps-month = 0.048 per MiB/s: 500 × 0.096 = $48.00,
    // (6,000 − 3,000) × 0.006 = $18.00, (250 − 125) × 0.048 = $6.00 → $72.00
    const r = one("aws:ebs/volume:Volume", {
      type: "gp3",
      size: 500,
      iops: 6000,
      throughput: 250,
      region: "ap-northeast-1",
    });
    expect(r.monthly).toBe("72.00");
  });

  it.each([
    // aws-ebs-calculator-2021-05-13 (AWS's EBS price file, EU (London) and Asia Pacific (Sydney)): gp3 0.0928
    // and 0.096, st1 0.053 and 0.054, sc1 0.0174 and 0.018, io2 0.145 and 0.138 with IOPS 0.076 and 0.072
    ["eu-west-2", "gp3", 100, undefined, "9.28"],
    ["ap-southeast-2", "gp3", 100, undefined, "9.60"],
    ["eu-west-2", "st1", 500, undefined, "26.50"],
    ["ap-southeast-2", "sc1", 1000, undefined, "18.00"],
    ["eu-west-2", "sc1", 1000, undefined, "17.40"],
    // 100 × 0.145 + 1,000 × 0.076 = 14.50 + 76.00
    ["eu-west-2", "io2", 100, 1000, "90.50"],
    // 100 × 0.138 + 1,000 × 0.072 = 13.80 + 72.00
    ["ap-southeast-2", "io2", 100, 1000, "85.80"],
  ])("EBS in %s: %s of %s GB (IOPS %s) is $%s", (region, type, size, iops, monthly) => {
    expect(one("aws:ebs/volume:Volume", { type, size, ...(iops ? { iops } : {}), region }).monthly).toBe(
      monthly,
    );
  });

  it.each([
    // aws-ebs-calculator-2021-05-13, "Provisioned Throughput gp3 per GiBps mo": EU (London) 47.5136, Asia Pacific
    // (Mumbai) 46.6944 and EU (Frankfurt) 48.7424, that is 0.0464, 0.0456 and 0.0476 per MiB/s-month; Mumbai's
    // stated again by ebs-throughput-aps3-2026-09-12 ("375 additional MiB/s at $0.0456/MiB/s-month"). 100 GB at
    // 0.0928, 0.0912 and 0.0952, plus (250 − 125) MiB/s: 9.28 + 5.80, 9.12 + 5.70, 9.52 + 5.95
    ["eu-west-2", "15.08"],
    ["ap-south-1", "14.82"],
    ["eu-central-1", "15.47"],
  ])("gp3 in %s: 100 GB with 250 MiB/s is $%s", (region, monthly) => {
    const r = one("aws:ebs/volume:Volume", { type: "gp3", size: 100, throughput: 250, region });
    expect(r.monthly).toBe(monthly);
    expect(r.atLeast).toBe(false);
  });
});

describe("databases and caches in new regions", () => {
  // rds-postgresql-ondemand.json "Database Instance PostgreSQL No license required db t3.micro General purpose
  // Single-AZ Current Generation": us-east-1 $0.018, ap-northeast-1 $0.028, ap-south-1 $0.026, eu-central-1
  // $0.021; rds-storage.json "Database Storage Single AZ General Purpose-GP3": $0.115, $0.138, $0.131, $0.137
  it.each([
    ["us-east-1", "0.018", "13.14", "0.115", "2.30", "15.44"],
    ["ap-northeast-1", "0.028", "20.44", "0.138", "2.76", "23.20"],
    ["ap-south-1", "0.026", "18.98", "0.131", "2.62", "21.60"],
    ["eu-central-1", "0.021", "15.33", "0.137", "2.74", "18.07"],
  ])(
    "a PostgreSQL db.t3.micro with 20 GB gp3 in %s is $%s/h + storage",
    (region, hourly, instance, gb, storage, total) => {
      const r = one("aws:rds/instance:Instance", {
        engine: "postgres",
        instanceClass: "db.t3.micro",
        allocatedStorage: 20,
        storageType: "gp3",
        region,
      });
      expect(r.lines).toEqual([
        `db.t3.micro instance: db.t3.micro × 730 h × $${hourly}/h = $${instance}`,
        `gp3 storage: 20 GB × 1 month × $${gb}/month = $${storage}`,
      ]);
      expect(r.monthly).toBe(total);
    },
  );

  it("a MariaDB db.t4g.micro in eu-west-1 is $12.41 and a MySQL db.m6g.large Multi-AZ in ap-southeast-2 $305.14", () => {
    // rds-mariadb-ondemand.json db t4g.micro Single-AZ EU (Ireland) $0.017: 730 × 0.017 = $12.41;
    // rds-mysql-ondemand.json db m6g.large Multi-AZ Asia Pacific (Sydney) $0.418: 730 × 0.418 = $305.14
    expect(
      one("aws:rds/instance:Instance", {
        engine: "mariadb",
        instanceClass: "db.t4g.micro",
        region: "eu-west-1",
      }).lines[0],
    ).toBe("db.t4g.micro instance: db.t4g.micro × 730 h × $0.017/h = $12.41");
    expect(
      one("aws:rds/instance:Instance", {
        engine: "mysql",
        instanceClass: "db.m6g.large",
        multiAz: true,
        region: "ap-southeast-2",
      }).lines[0],
    ).toBe("db.m6g.large instance (Multi-AZ): db.m6g.large × 730 h × $0.418/h = $305.14");
  });

  // elasticache.json "[OnDemand Cache Instance Standard Redis Current Generation] ... cache t3.micro Redis":
  // us-east-1 $0.017, ap-northeast-1 $0.026, ap-southeast-2 $0.025
  it.each([
    ["us-east-1", "0.017", "12.41"],
    ["ap-northeast-1", "0.026", "18.98"],
    ["ap-southeast-2", "0.025", "18.25"],
  ])("a Redis cache.t3.micro node in %s is $%s/h, $%s a month", (region, hourly, monthly) => {
    const r = one("aws:elasticache/cluster:Cluster", { engine: "redis", nodeType: "cache.t3.micro", region });
    expect(r.lines).toEqual([`cache.t3.micro node: cache.t3.micro × 730 h × $${hourly}/h = $${monthly}`]);
  });

  it("two Valkey cache.r6g.large nodes are $240.61 in us-east-1, $280.32 in eu-west-2, $246.45 in ap-south-1", () => {
    // elasticache.json "... cache r6g.large Valkey Current Generation": $0.1648, $0.192, $0.1688 per node-hour
    const valkey = (region: string) =>
      one("aws:elasticache/replicationGroup:ReplicationGroup", {
        engine: "valkey",
        nodeType: "cache.r6g.large",
        numCacheClusters: 2,
        region,
      }).monthly;
    expect([valkey("us-east-1"), valkey("eu-west-2"), valkey("ap-south-1")]).toEqual([
      "240.61",
      "280.32",
      "246.45",
    ]);
  });

  it("RDS Proxy: 4 database vCPUs are $43.80 in us-east-1 and $46.72 in eu-west-1", () => {
    // rds-proxy.json "RDSProxy": US East (N. Virginia) $0.015, EU (Ireland) $0.016 per vCPU-hour:
    // 4 × 730 × 0.015 = $43.80, 4 × 730 × 0.016 = $46.72
    const proxy = (region: string) =>
      one(
        "aws:rds/proxy:Proxy",
        { region },
        { usage: { byType: { "aws:rds/proxy:Proxy": { databaseVcpus: 4 } } } },
      ).usage[0]?.estimate;
    expect([proxy("us-east-1"), proxy("eu-west-1")]).toEqual(["43.80", "46.72"]);
  });
});

describe("serverless and storage in new regions", () => {
  it("Lambda provisioned concurrency of 2 × 1,024 MB is $21.90 a month in us-east-1", () => {
    // lambda.json "Lambda Provisioned-Concurrency" US East (N. Virginia) $0.0000041667 per GB-second:
    // 2 × 1 GB × 730 h × 3,600 s = 5,256,000 GB-s × 0.0000041667 = $21.90
    const e = estimateOf([
      step("create", "aws:lambda/function:Function", "fn", undefined, { name: "api", memorySize: 1024 }),
      step(
        "create",
        "aws:lambda/provisionedConcurrencyConfig:ProvisionedConcurrencyConfig",
        "pc",
        undefined,
        {
          functionName: "api",
          provisionedConcurrentExecutions: 2,
        },
      ),
    ]);
    expect(e.rows.find((r) => r.name === "pc")?.afterMonthly.toFixed(2)).toBe("21.90");
  });

  it("S3 Standard, CloudWatch Logs and a secret in Tokyo: 100 GB $2.50, 10 GB of logs $7.60, a secret $0.40", () => {
    // s3.json "Standard Storage First 50 TB per GB Mo" Tokyo $0.025; cloudwatch.json "Logs Collected Data
    // Ingestion" $0.76; secretsmanager.json "Secret" $0.40
    const s3 = one(
      "aws:s3/bucket:Bucket",
      { region: "ap-northeast-1" },
      { usage: { s3: { storageGbPerBucket: 100 } } },
    );
    expect(s3.usage[0]).toMatchObject({ unitPrice: "0.025", estimate: "2.50" });
    const logs = one(
      "aws:cloudwatch/logGroup:LogGroup",
      { region: "ap-northeast-1" },
      { usage: { cloudwatchLogs: { ingestedGbPerLogGroup: 10 } } },
    );
    expect(logs.usage[0]).toMatchObject({ unitPrice: "0.76", estimate: "7.60" });
    expect(one("aws:secretsmanager/secret:Secret", { region: "ap-northeast-1" }).monthly).toBe("0.40");
  });
});

describe("search, streaming, graph, DNS and firewall in new regions", () => {
  it("OpenSearch: three m6g.large.search in Tokyo are $359.16, a t3.small.search in Mumbai $38.69", () => {
    // es.json "m6g large.search - General purpose - OnDemand - EBS Only - - - Hourly Cost" Asia Pacific (Tokyo)
    // $0.164: 3 × 730 × 0.164 = $359.16; "t3 small.search - ..." Asia Pacific (Mumbai) $0.053: 730 × 0.053 = $38.69
    const tokyo = one("aws:opensearch/domain:Domain", {
      clusterConfig: { instanceType: "m6g.large.search", instanceCount: 3 },
      region: "ap-northeast-1",
    });
    expect(tokyo.lines).toEqual([
      "m6g.large.search data node: 3 × m6g.large.search × 730 h × $0.164/h = $359.16",
    ]);
    expect(
      one("aws:opensearch/domain:Domain", {
        clusterConfig: { instanceType: "t3.small.search" },
        region: "ap-south-1",
      }).monthly,
    ).toBe("38.69");
  });

  it.each([
    // es.json "m6g large.search ... OnDemand": US West (Oregon) $0.128, Asia Pacific (Tokyo) $0.164, EU
    // (Frankfurt) $0.153, Asia Pacific (Sydney) $0.159, EU (London) $0.147 (730 h: $93.44, $119.72,
    // $111.69, $116.07, $107.31); opensearch-gp3-offer-2026-09-03: "openSearchGp3GbMonth" 0.122, 0.1464
    // and 0.1452, opensearch-offer-aps2-2026-09-27: APS2-ES:GP3-Storage 0.1464, and
    // opensearch-gp3-euw2-moj-adr: "EBS gp3 $0.1415/GB-month" (100 GB: $12.20, $14.64, $14.52, $14.64,
    // $14.15)
    ["us-west-2", "105.64"],
    ["ap-northeast-1", "134.36"],
    ["eu-central-1", "126.21"],
    ["ap-southeast-2", "130.71"],
    ["eu-west-2", "121.46"],
  ])("OpenSearch in %s: an m6g.large.search with 100 GB gp3 is $%s", (region, monthly) => {
    const r = one("aws:opensearch/domain:Domain", {
      clusterConfig: { instanceType: "m6g.large.search" },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: 100 },
      region,
    });
    expect(r.monthly).toBe(monthly);
    expect(r.atLeast).toBe(false);
  });

  it("OpenSearch gp3 storage stays not priced where no source gives it (eu-west-1)", () => {
    const r = one("aws:opensearch/domain:Domain", {
      clusterConfig: { instanceType: "m6g.large.search" },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: 100 },
      region: "eu-west-1",
    });
    expect(r.monthly).toBe("104.39"); // 730 × $0.143 (EU (Ireland)); the storage is not priced
    expect(r.atLeast).toBe(true);
  });

  it("MSK in London: three kafka.m5.24xlarge brokers with 100 GB each are $25,559.25", () => {
    // msk.json "[RunBroker] ... m5.24xlarge" EU (London) $11.655: 3 × 730 × 11.655 = $25,524.45;
    // "RunVolume GP2" EU (London) $0.116 a GB-month: 300 × 0.116 = $34.80
    const r = one("aws:msk/cluster:Cluster", {
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m5.24xlarge",
        storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
      },
      region: "eu-west-2",
    });
    expect(r.monthly).toBe("25559.25");
  });

  it("Neptune: 10 million I/O requests are $2.20 in Mumbai and $2.40 in Tokyo", () => {
    // neptune.json "IO Rate": Asia Pacific (Mumbai) 0.00000022, Asia Pacific (Tokyo) 0.00000024 per request
    const io = (region: string) =>
      one(
        "aws:neptune/cluster:Cluster",
        { region },
        { usage: { byType: { "aws:neptune/cluster:Cluster": { ioRequests: 10_000_000 } } } },
      ).usage.find((u) => u.item === "I/O requests");
    expect(io("ap-south-1")).toEqual({ item: "I/O requests", unitPrice: "0.00000022", estimate: "2.20" });
    expect(io("ap-northeast-1")).toEqual({ item: "I/O requests", unitPrice: "0.00000024", estimate: "2.40" });
  });

  it("a WAF Classic web ACL with 7 rules is $12.00 in Frankfurt, and 100M Resolver queries $40.00 in London", () => {
    // waf.json: 'Web ACL Activated per Month' = 'WebACL per month' $5, 'Rules added per WebACL per month' =
    // 'Rule Activated per Month' $1, in EU (Frankfurt) as everywhere: 5 + 7 × 1 = $12.00;
    // route53.json "Query first 1B" EU (London) 0.0000004: 100,000,000 × 0.0000004 = $40.00
    const waf = one("aws:waf/webAcl:WebAcl", {
      rules: Array.from({ length: 7 }, (_, i) => ({ priority: i })),
      region: "eu-central-1",
    });
    expect(waf.monthly).toBe("12.00");
    const resolver = one(
      "aws:route53/resolverEndpoint:ResolverEndpoint",
      { direction: "INBOUND", ipAddresses: [{ subnetId: "a" }, { subnetId: "b" }], region: "eu-west-2" },
      { resourceUsage: [{ resource: "r", quantities: { queries: 100_000_000 } }] },
    );
    expect(resolver.usage).toEqual([{ item: "DNS queries", unitPrice: "0.0000004", estimate: "40.00" }]);
  });
});
