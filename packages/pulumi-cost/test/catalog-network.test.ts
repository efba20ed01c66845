import { describe, expect, it } from "vitest";
import { one } from "./one-resource.js";

/**
 * Connectivity, edge, monitoring and workflow types priced from Infracost's golden files (the price facts'
 * source infracost-golden-totals), us-east-1 (the tests' provider region): each expected figure is the unit price
 * the golden line gives, times the quantity, worked out by hand. 730 hours a month.
 */
describe("connectivity (by the hour)", () => {
  it("a Transit Gateway peering attachment is $36.50 and a Client VPN subnet association $73.00", () => {
    // ec2_transit_gateway_peering_attachment golden: "Transit gateway attachment 730 hours $36.50";
    // ec2_client_vpn_network_association golden: "Endpoint association 730 hours $73.00"
    expect(one("aws:ec2transitgateway/peeringAttachment:PeeringAttachment", {}).lines).toEqual([
      "Transit Gateway peering attachment: attachment × 730 h × $0.05/h = $36.50",
    ]);
    expect(one("aws:ec2clientvpn/networkAssociation:NetworkAssociation", {}).monthly).toBe("73.00");
  });

  it("Client VPN connections are usage: 730 connection-hours are $36.50", () => {
    // ec2_client_vpn_endpoint golden: "Connection 730 hours $36.50" (ClientVPN-ConnectionHours $0.05)
    const r = one(
      "aws:ec2clientvpn/endpoint:Endpoint",
      {},
      { usage: { byType: { "aws:ec2clientvpn/endpoint:Endpoint": { connectionHours: 730 } } } },
    );
    expect(r.monthly).toBe("0.00");
    expect(r.usage).toEqual([{ item: "Client VPN connections", unitPrice: "0.05", estimate: "36.50" }]);
  });

  it("a Resolver endpoint with two IP addresses is $182.50; 100M queries are $40.00", () => {
    // route53_resolver_endpoint golden: "Resolver endpoints 1,460 hours $182.50", "DNS queries (first 1B)
    // 100 1M queries $40.00"
    const r = one(
      "aws:route53/resolverEndpoint:ResolverEndpoint",
      { direction: "INBOUND", ipAddresses: [{ subnetId: "a" }, { subnetId: "b" }] },
      { resourceUsage: [{ resource: "r", quantities: { queries: 100_000_000 } }] },
    );
    expect(r.monthly).toBe("182.50");
    expect(r.usage).toEqual([{ item: "DNS queries", unitPrice: "0.0000004", estimate: "40.00" }]);
    expect(one("aws:route53/resolverEndpoint:ResolverEndpoint", {}).notPriced).toEqual([
      "r (aws:route53/resolverEndpoint:ResolverEndpoint): Resolver endpoint IP addresses: ipAddresses are not known until apply",
    ]);
  });

  it("a Network Firewall in two subnets is $576.70; 100 GB inspected are $6.50", () => {
    // networkfirewall_firewall golden: "Network Firewall Endpoint 730 hours $288.35", "Data Processed 100 GB $6.50"
    const r = one(
      "aws:networkfirewall/firewall:Firewall",
      { subnetMappings: [{ subnetId: "a" }, { subnetId: "b" }] },
      { usage: { byType: { "aws:networkfirewall/firewall:Firewall": { dataProcessedGb: 100 } } } },
    );
    expect(r.monthly).toBe("576.70");
    expect(r.usage).toEqual([{ item: "traffic processed", unitPrice: "0.065", estimate: "6.50" }]);
  });

  it("a Transfer Family server is $219.00 a protocol: SFTP alone by default, three protocols $657.00", () => {
    // transfer_server golden: "SFTP protocol enabled 730 hours $219.00" (and FTP, FTPS alike)
    expect(one("aws:transfer/server:Server", {}).monthly).toBe("219.00");
    expect(one("aws:transfer/server:Server", { protocols: ["SFTP", "FTPS", "FTP"] }).monthly).toBe("657.00");
  });

  it("a VPN connection is $36.50 in us-east-2 and $35.04 in ap-northeast-1, and not priced outside the ten regions", () => {
    // AWS's pricing-page data (aws-pricing-pages-2025-06-18): "CreateVpnConnection per Hrs" us-east-2 $0.05,
    // ap-northeast-1 $0.048
    expect(one("aws:ec2/vpnConnection:VpnConnection", { region: "us-east-2" }).monthly).toBe("36.50");
    expect(one("aws:ec2/vpnConnection:VpnConnection", { region: "ap-northeast-1" }).monthly).toBe("35.04");
    expect(one("aws:ec2/vpnConnection:VpnConnection", { region: "sa-east-1" }).atLeast).toBe(true);
  });
});

describe("security, monitoring and DNS (by the month)", () => {
  it("a WAF Classic web ACL with 7 rules is $12.00; a million requests $0.60", () => {
    // waf_web_acl golden: "Web ACL usage 1 months $5.00", "Rules 7 rules $7.00", "Requests 1 1M requests $0.60"
    const r = one(
      "aws:waf/webAcl:WebAcl",
      { rules: Array.from({ length: 7 }, (_, i) => ({ priority: i })) },
      { usage: { byType: { "aws:waf/webAcl:WebAcl": { requests: 1_000_000 } } } },
    );
    expect(r.monthly).toBe("12.00");
    expect(r.usage).toEqual([{ item: "requests", unitPrice: "0.0000006", estimate: "0.60" }]);
  });

  it("a CloudHSM HSM is $1,168.00 a month", () => {
    // cloudhsm_v2_hsm golden: "HSM usage 730 hours $1,168.00" (CloudHSMv2Usage $1.60)
    expect(one("aws:cloudhsmv2/hsm:Hsm", { clusterId: "c" }).lines).toEqual([
      "HSM: HSM × 730 h × $1.60/h = $1,168.00",
    ]);
  });

  it("a Route 53 health check is $0.50, a CloudWatch alarm of two metrics $0.20, a dashboard $3.00", () => {
    // route53_health_check golden: "Health check 1 months $0.50"; cloudwatch_metric_alarm golden: "Standard
    // resolution 2 alarm metrics $0.20"; cloudwatch_dashboard golden: "Dashboard 1 months $3.00"
    expect(one("aws:route53/healthCheck:HealthCheck", { type: "HTTPS" }).monthly).toBe("0.50");
    // Route 53 is global (usage type without a region prefix): the one figure holds in every region
    expect(one("aws:route53/healthCheck:HealthCheck", { region: "ap-south-1" }).monthly).toBe("0.50");
    expect(
      one("aws:cloudwatch/metricAlarm:MetricAlarm", { metricQueries: [{ id: "a" }, { id: "b" }] }).monthly,
    ).toBe("0.20");
    expect(one("aws:cloudwatch/metricAlarm:MetricAlarm", {}).monthly).toBe("0.10");
    expect(one("aws:cloudwatch/dashboard:Dashboard", {}).monthly).toBe("3.00");
    // Dashboards are global too: the Price List lists them for location "Any" with a usage type without a region
    // prefix (DashboardsUsageHour, as bills show it), so the one figure holds in London and Mumbai
    expect(one("aws:cloudwatch/dashboard:Dashboard", { region: "eu-west-2" }).monthly).toBe("3.00");
    expect(one("aws:cloudwatch/dashboard:Dashboard", { region: "ap-south-1" }).monthly).toBe("3.00");
  });
});

describe("events, workflows and API caches", () => {
  it("EventBridge: a million custom events are $1.00; with no usage given, listed at the unit price", () => {
    // cloudwatch_event_bus golden: "Custom events published 1 1M events $1.00"
    const type = "aws:cloudwatch/eventBus:EventBus";
    const r = one(type, {}, { usage: { byType: { [type]: { customEvents: 1_000_000 } } } });
    expect(r.usage).toEqual([{ item: "custom events published", unitPrice: "0.000001", estimate: "1.00" }]);
    expect(one(type, {}).usage).toEqual([
      { item: "custom events published", unitPrice: "0.000001", estimate: undefined },
    ]);
  });

  it("Step Functions: 10,000 standard transitions are $0.25; express 100,000 requests $0.10 and 3,600 GB-s $0.06", () => {
    // sfn_state_machine golden: "Transitions 10 1K transitions $0.25", "Requests 0.1 1M requests $0.10",
    // "Duration (first 1K) ... $0.060012 per GB-hours" (StepFunctions-GB-Second $0.00001667): 3,600 GB-s = $0.060012
    const type = "aws:sfn/stateMachine:StateMachine";
    const quantities = { stateTransitions: 10_000, requests: 100_000, gbSeconds: 3600 };
    const config = { usage: { byType: { [type]: quantities } } };
    expect(one(type, {}, config).usage).toEqual([
      { item: "state transitions", unitPrice: "0.000025", estimate: "0.25" },
    ]);
    expect(one(type, { type: "EXPRESS" }, config).usage).toEqual([
      { item: "requests (express)", unitPrice: "0.000001", estimate: "0.10" },
      { item: "duration (express)", unitPrice: "0.00001667", estimate: "0.06" },
    ]);
  });

  it("an API Gateway stage cache of 0.5 GB is $14.60 and of 237 GB $2,774.00; a stage without one is free", () => {
    // api_gateway_stage golden: "Cache memory (0.5 GB) 730 hours $14.60", "Cache memory (237 GB) 730 hours $2,774.00"
    const type = "aws:apigateway/stage:Stage";
    expect(one(type, { cacheClusterEnabled: true }).lines).toEqual([
      "0.5 GB cache: 0.5 × 730 h × $0.02/h = $14.60",
    ]);
    expect(one(type, { cacheClusterEnabled: true, cacheClusterSize: "237" }).monthly).toBe("2774.00");
    // a size API Gateway does not offer is not priced
    expect(one(type, { cacheClusterEnabled: true, cacheClusterSize: "7" }).notPriced).toEqual([
      "r (aws:apigateway/stage:Stage): no apiGatewayCacheHour (7) price for us-east-1 in the price table (never priced at another region's)",
    ]);
    expect(one(type, {}).counts).toMatchObject({ free: 1 });
  });

  it.each([
    // apigateway.json "Caching Memory Size <size>", US East (N. Virginia): 1.6 GB 0.038, 6.1 GB 0.2, 13.5 GB
    // 0.25, 28.4 GB 0.5, 58.2 GB 1, 118 GB 1.9 an hour (730 h: $27.74, $146.00, $182.50, $365.00, $730.00,
    // $1,387.00)
    ["1.6", "27.74"],
    ["6.1", "146.00"],
    ["13.5", "182.50"],
    ["28.4", "365.00"],
    ["58.2", "730.00"],
    ["118", "1387.00"],
  ])("an API Gateway stage cache of %s GB is $%s in us-east-1", (cacheClusterSize, monthly) => {
    const r = one("aws:apigateway/stage:Stage", { cacheClusterEnabled: true, cacheClusterSize });
    expect(r.monthly).toBe(monthly);
    expect(r.notPriced).toEqual([]);
  });
});
