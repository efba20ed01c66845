import { describe, expect, it } from "vitest";
import { one } from "./one-resource.js";

/**
 * The instance classes, node types and broker types teams pick today (Graviton 3 and 4th-generation Intel
 * databases, caches and brokers), each with the row of AWS's pricing-page data it comes from (the price
 * facts' source aws-pricing-pages-2025-06-18, QuinnyPig/aws-price-watcher's processed/<service>.json) and the
 * arithmetic worked out by hand. 730 hours a month.
 */
describe("database, cache and broker classes of the current generations", () => {
  it.each([
    // rds-postgresql-ondemand.json "Database Instance PostgreSQL No license required db r6g.large Memory
    // optimized Single-AZ Current Generation", US East (N. Virginia) 0.225: 730 × 0.225 = $164.25
    ["postgres", "db.r6g.large", false, "us-east-1", "164.25"],
    // rds-mysql-ondemand.json "... MySQL ... db m7g.large General purpose Multi-AZ Current Generation",
    // EU (Ireland) 0.372: 730 × 0.372 = $271.56
    ["mysql", "db.m7g.large", true, "eu-west-1", "271.56"],
    // rds-mariadb-ondemand.json "... MariaDB ... db t4g.micro General purpose Single-AZ Current Generation",
    // Asia Pacific (Mumbai) 0.021: 730 × 0.021 = $15.33
    ["mariadb", "db.t4g.micro", false, "ap-south-1", "15.33"],
  ])("RDS %s %s (Multi-AZ %s) in %s is $%s a month", (engine, instanceClass, multiAz, region, monthly) => {
    // No allocatedStorage: the storage is not known until apply, and only the instance is priced.
    const r = one("aws:rds/instance:Instance", { engine, instanceClass, multiAz, region });
    expect(r.monthly).toBe(monthly);
    expect(r.notPriced.join("\n")).not.toContain(instanceClass);
  });

  it("an Aurora PostgreSQL db.r7g.large in ap-northeast-1 is $243.09", () => {
    // rds-aurora-ondemand.json "[Database Instance Aurora PostgreSQL No license required Memory optimized
    // Single-AZ Current Generation] ... db r7g.large ...", Asia Pacific (Tokyo) 0.333: 730 × 0.333 = $243.09
    const r = one("aws:rds/clusterInstance:ClusterInstance", {
      engine: "aurora-postgresql",
      instanceClass: "db.r7g.large",
      region: "ap-northeast-1",
    });
    expect(r.lines).toEqual(["db.r7g.large instance: db.r7g.large × 730 h × $0.333/h = $243.09"]);
  });

  it("a Valkey replication group of two cache.r7g.large in us-east-1 is $255.79", () => {
    // elasticache.json "[OnDemand Cache Instance Memory optimized Valkey Current Generation] ... cache
    // r7g.large Valkey ...", US East (N. Virginia) 0.1752: 2 × 730 × 0.1752 = $255.792
    const r = one("aws:elasticache/replicationGroup:ReplicationGroup", {
      engine: "valkey",
      nodeType: "cache.r7g.large",
      numCacheClusters: 2,
    });
    expect(r.monthly).toBe("255.79");
    expect(r.notPriced).toEqual([]);
  });

  it("a Redis OSS cache.m7g.large node in eu-central-1 is $137.24", () => {
    // elasticache.json "[OnDemand Cache Instance Standard Redis Current Generation] ... cache m7g.large
    // Redis ...", EU (Frankfurt) 0.188: 730 × 0.188 = $137.24
    const r = one("aws:elasticache/cluster:Cluster", {
      engine: "redis",
      nodeType: "cache.m7g.large",
      region: "eu-central-1",
    });
    expect(r.monthly).toBe("137.24");
  });

  it("a DocumentDB db.r6g.large in us-east-1 is $192.10", () => {
    // docdb.json "[Memory optimized OnDemand] OnDemand-instancetype-db.r6g.large", US East (N. Virginia)
    // 0.26315 (the standard, not I/O-Optimized, row): 730 × 0.26315 = $192.0995
    const r = one("aws:docdb/clusterInstance:ClusterInstance", { instanceClass: "db.r6g.large" });
    expect(r.monthly).toBe("192.10");
  });

  it("a Neptune db.r6g.large in eu-west-2 is $281.34", () => {
    // neptune.json "[Neptune Memory Optimized Current Generation] ... db r6g.large", EU (London) 0.3854:
    // 730 × 0.3854 = $281.342
    const r = one("aws:neptune/clusterInstance:ClusterInstance", {
      instanceClass: "db.r6g.large",
      region: "eu-west-2",
    });
    expect(r.monthly).toBe("281.34");
  });

  it("a Redshift cluster of two ra3.xlplus nodes in us-east-1 is $1,585.56", () => {
    // redshift.json "[OnDemand Compute Instance Current Generation] ra3 xlplus ...", US East (N. Virginia)
    // 1.086: 2 × 730 × 1.086 = $1,585.56
    const r = one("aws:redshift/cluster:Cluster", { nodeType: "ra3.xlplus", numberOfNodes: 2 });
    expect(r.monthly).toBe("1585.56");
  });

  it("an MSK cluster of three kafka.m7g.large brokers with 100 GB each is $476.76 in us-east-1", () => {
    // msk.json "[RunBroker] RunBroker-computefamily-m7g.large;RunBroker m7g.large", US East (N. Virginia)
    // 0.204: 3 × 730 × 0.204 = $446.76; broker storage 300 GB × $0.10 = $30.00
    const r = one("aws:msk/cluster:Cluster", {
      numberOfBrokerNodes: 3,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m7g.large",
        storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
      },
    });
    expect(r.monthly).toBe("476.76");
    expect(r.notPriced).toEqual([]);
  });

  it("a single-instance ActiveMQ mq.m5.large broker in us-east-1 is $210.24", () => {
    // mq.json "Single Instance mq m5.large", US East (N. Virginia) 0.288: 730 × 0.288 = $210.24
    const r = one("aws:mq/broker:Broker", {
      engineType: "ActiveMQ",
      hostInstanceType: "mq.m5.large",
      deploymentMode: "SINGLE_INSTANCE",
    });
    expect(r.monthly).toBe("210.24");
  });
});
