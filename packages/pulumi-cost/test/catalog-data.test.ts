import { describe, expect, it } from "vitest";
import { one } from "./one-resource.js";

/**
 * Databases, analytics and storage priced from Infracost's golden files (the price facts' source
 * infracost-golden-totals): each expected figure is the Price List unit price the golden line gives, times the
 * quantity, worked out by hand. 730 hours a month. A region or variant the facts lack is not priced.
 */
describe("databases (by the hour)", () => {
  it("an Aurora MySQL db.r4.large is $211.70 and an Aurora PostgreSQL db.t3.large $119.72 in us-east-1", () => {
    // rds_cluster_instance golden: "Database instance (on-demand, db.r4.large) 730 hours $211.70" (aurora-mysql)
    // and extended_support["aurora-postgresql-13"] "(on-demand, db.t3.large) 730 hours $119.72"
    const mysql = one("aws:rds/clusterInstance:ClusterInstance", {
      engine: "aurora-mysql",
      instanceClass: "db.r4.large",
    });
    expect(mysql.lines).toEqual(["db.r4.large instance: db.r4.large × 730 h × $0.29/h = $211.70"]);
    const postgres = one("aws:rds/clusterInstance:ClusterInstance", {
      engine: "aurora-postgresql",
      instanceClass: "db.t3.large",
    });
    expect(postgres.monthly).toBe("119.72");
    // A class the facts do not list (the pricing-page data of June 2025 has no db.r8g)
    const unsourced = one("aws:rds/clusterInstance:ClusterInstance", {
      engine: "aurora-postgresql",
      instanceClass: "db.r8g.large",
    });
    expect(unsourced.notPriced).toEqual([
      "r (aws:rds/clusterInstance:ClusterInstance): no auroraPostgresqlHour (db.r8g.large) price for us-east-1 in the price table (never priced at another region's)",
    ]);
  });

  it.each(["us-east-1", "us-east-2"])(
    "a DocumentDB db.t3.medium is $56.94 in %s; its storage is usage",
    (region) => {
      // docdb_cluster_instance golden (both providers): "db.t3.medium 730 hours $56.94", "Storage 1,000 GB $100.00"
      expect(
        one("aws:docdb/clusterInstance:ClusterInstance", { instanceClass: "db.t3.medium", region }).monthly,
      ).toBe("56.94");
      const cluster = one(
        "aws:docdb/cluster:Cluster",
        { region },
        { usage: { byType: { "aws:docdb/cluster:Cluster": { storageGb: 1000 } } } },
      );
      expect(cluster.usage).toEqual([{ item: "storage", unitPrice: "0.1", estimate: "100.00" }]);
    },
  );

  it("a Neptune db.r4.large is $297.84 in eu-west-2 and $254.04 in us-east-1; I/O-Optimized is not priced", () => {
    // neptune_cluster_instance golden (eu-west-2): "Database instance (on-demand, db.r4.large) 730 hours $297.84"
    expect(
      one("aws:neptune/clusterInstance:ClusterInstance", {
        instanceClass: "db.r4.large",
        region: "eu-west-2",
      }).monthly,
    ).toBe("297.84");
    // AWS's pricing-page data (aws-pricing-pages-2025-06-18), Neptune db.r4.large us-east-1 $0.348 × 730 = $254.04
    expect(one("aws:neptune/clusterInstance:ClusterInstance", { instanceClass: "db.r4.large" }).monthly).toBe(
      "254.04",
    );
    // neptune_cluster golden: "Storage 100 GB $11.60", "I/O requests 10 1M request $2.32"
    const cluster = one(
      "aws:neptune/cluster:Cluster",
      { region: "eu-west-2" },
      { usage: { byType: { "aws:neptune/cluster:Cluster": { storageGb: 100, ioRequests: 10_000_000 } } } },
    );
    expect(cluster.usage).toEqual([
      { item: "storage", unitPrice: "0.116", estimate: "11.60" },
      { item: "I/O requests", unitPrice: "0.000000232", estimate: "2.32" },
    ]);
    expect(
      one("aws:neptune/cluster:Cluster", { storageType: "iopt1", region: "eu-west-2" }).notPriced,
    ).toEqual([
      "r (aws:neptune/cluster:Cluster): Neptune I/O-Optimized (storageType iopt1) has no price key in pulumi-cost",
    ]);
  });

  it("DynamoDB provisioned: 20 WCU in us-east-2 are $9.49 and 30 RCU $2.85", () => {
    // dynamodb_table golden (us-east-2): "Write capacity unit (WCU) 20 WCU $9.49": 20 × 730 × 0.00065;
    // AWS's pricing-page data (aws-pricing-pages-2025-06-18): "Provisioned Read Units" us-east-2 $0.00013,
    // 30 × 730 × 0.00013 = $2.847
    const r = one("aws:dynamodb/table:Table", { writeCapacity: 20, readCapacity: 30, region: "us-east-2" });
    expect(r.monthly).toBe("12.34");
    expect(r.notPriced).toEqual([]);
  });
});

describe("analytics and messaging (by the hour)", () => {
  it("a Redshift cluster of 6 ra3.4xlarge nodes is $14,278.80", () => {
    // redshift_cluster golden: "Cluster usage (on-demand, ra3.4xlarge) 4,380 hours $14,278.80"
    const r = one("aws:redshift/cluster:Cluster", { nodeType: "ra3.4xlarge", numberOfNodes: 6 });
    expect(r.lines).toEqual(["ra3.4xlarge node: 6 × ra3.4xlarge × 730 h × $3.26/h = $14,278.80"]);
  });

  it("an OpenSearch domain: 3 c4.2xlarge.search, a c4.8xlarge.search master, 3 × 100 GB gp3 = $3,035.44", () => {
    // opensearch_domain golden: c4.2xlarge.search 2,190 hours $1,285.53; c4.8xlarge.search 730 hours $1,713.31;
    // elasticsearch_domain golden: "Storage (gp3) 400 GB $48.80" (ES:GP3-Storage $0.122): 300 GB = $36.60
    const r = one("aws:opensearch/domain:Domain", {
      clusterConfig: {
        instanceType: "c4.2xlarge.search",
        instanceCount: 3,
        dedicatedMasterEnabled: true,
        dedicatedMasterType: "c4.8xlarge.search",
        dedicatedMasterCount: 1,
      },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: 100 },
    });
    expect(r.monthly).toBe("3035.44");
  });

  it("an Elasticsearch domain names its type ….elasticsearch, priced as the Price List's ….search", () => {
    // elasticsearch_domain golden: "Instance (on-demand, c4.2xlarge.elasticsearch) 730 hours $428.51"
    const r = one("aws:elasticsearch/domain:Domain", {
      clusterConfig: { instanceType: "c4.2xlarge.elasticsearch" },
    });
    expect(r.lines).toEqual(["c4.2xlarge.search data node: c4.2xlarge.search × 730 h × $0.587/h = $428.51"]);
  });

  it("an MSK cluster of 4 kafka.m5.24xlarge brokers with 1,000 GB each is $29,833.60", () => {
    // msk_cluster golden: "Instance (kafka.m5.24xlarge) 2,920 hours $29,433.60", "Storage 4,000 GB $400.00"
    const r = one("aws:msk/cluster:Cluster", {
      numberOfBrokerNodes: 4,
      brokerNodeGroupInfo: {
        instanceType: "kafka.m5.24xlarge",
        storageInfo: { ebsStorageInfo: { volumeSize: 1000 } },
      },
    });
    expect(r.monthly).toBe("29833.60");
  });

  it("a single-instance ActiveMQ mq.t2.micro broker is $21.90", () => {
    // mq_broker golden: "Instance usage (ActiveMQ, mq.t2.micro, single_instance) 730 hours $21.90"
    const r = one("aws:mq/broker:Broker", {
      engineType: "ActiveMQ",
      hostInstanceType: "mq.t2.micro",
      deploymentMode: "SINGLE_INSTANCE",
    });
    expect(r.monthly).toBe("21.90");
  });

  it("a provisioned Kinesis stream of 4 shards is $43.80 in us-east-2", () => {
    // kinesis_stream golden (us-east-2 provider): "PROVISIONED 2,920 hours $43.80" (Storage-ShardHour $0.015)
    expect(one("aws:kinesis/stream:Stream", { shardCount: 4, region: "us-east-2" }).monthly).toBe("43.80");
  });
});

describe("storage", () => {
  it("EBS io1 30 GiB with 300 IOPS is $23.25; st1 and sc1 500 GiB are $22.50 and $7.50 (us-east-1)", () => {
    // ebs_volume golden: io1 "30 GB $3.75", "Provisioned IOPS 300 IOPS $19.50"; st1 "40 GB $1.80"; sc1 "50 GB $0.75"
    expect(one("aws:ebs/volume:Volume", { type: "io1", size: 30, iops: 300 }).monthly).toBe("23.25");
    expect(one("aws:ebs/volume:Volume", { type: "io2", size: 30, iops: 300 }).monthly).toBe("23.25");
    expect(one("aws:ebs/volume:Volume", { type: "st1", size: 500 }).monthly).toBe("22.50");
    expect(one("aws:ebs/volume:Volume", { type: "sc1", size: 500 }).monthly).toBe("7.50");
  });

  it.each([
    // efs_file_system golden: "Storage (standard) 230 GB $69.00"; ebs_snapshot golden: "EBS snapshot storage
    // 8 GB $0.40"; ecr_repository golden: "Storage 1 GB $0.10"
    ["aws:efs/fileSystem:FileSystem", 230, "0.3", "69.00"],
    ["aws:ebs/snapshot:Snapshot", 8, "0.05", "0.40"],
    ["aws:ecr/repository:Repository", 50, "0.1", "5.00"],
  ])("%s: %s GB stored at $%s is $%s, as usage", (type, storageGb, unitPrice, estimate) => {
    const r = one(type, {}, { usage: { byType: { [type]: { storageGb } } } });
    expect(r.monthly).toBe("0.00");
    expect(r.usage[0]).toMatchObject({ unitPrice, estimate });
    expect(r.counts.usage).toBe(1);
  });
});
