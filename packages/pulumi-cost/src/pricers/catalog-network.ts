import { t } from "../text.js";
import { hourly, monthly, usage } from "./charges.js";
import type { Declared } from "./declared.js";

/**
 * The catalogue's connectivity, edge and security types (catalog.ts reads them): each billed by the hour per
 * attachment, association, IP address, endpoint, protocol or HSM, or by the month, with its traffic as usage.
 * A list input not known until apply leaves that part not priced.
 */
export const NETWORK_CATALOG: readonly (readonly [string, Declared])[] = [
  [
    "aws:ec2transitgateway/peeringAttachment:PeeringAttachment",
    () => [hourly("Transit Gateway peering attachment", "attachment", "transitGatewayPeeringHour")],
  ],
  [
    "aws:ec2clientvpn/networkAssociation:NetworkAssociation",
    () => [hourly("Client VPN subnet association", "association", "clientVpnAssociationHour")],
  ],
  [
    "aws:ec2clientvpn/endpoint:Endpoint",
    () => [usage("Client VPN connections", "clientVpnConnectionHour", "connectionHours", "connection-hour")],
  ],
  [
    "aws:route53/resolverEndpoint:ResolverEndpoint",
    (i) => [
      hourly(
        "Resolver endpoint IP addresses",
        "IP address",
        "resolverEndpointEniHour",
        i.length("ipAddresses") ?? t`ipAddresses are not known until apply`,
      ),
      usage("DNS queries", "resolverQuery", "queries", "query"),
    ],
  ],
  [
    "aws:networkfirewall/firewall:Firewall",
    (i) => [
      hourly(
        "firewall endpoints (one per subnet mapping)",
        "endpoint",
        "networkFirewallEndpointHour",
        i.length("subnetMappings") ?? t`subnetMappings are not known until apply`,
      ),
      usage("traffic processed", "networkFirewallPerGb", "dataProcessedGb", "GB"),
    ],
  ],
  [
    "aws:transfer/server:Server",
    // CreateServer: SFTP when Protocols is left out.
    (i) => [hourly("protocols enabled", "protocol", "transferProtocolHour", i.length("protocols") ?? 1)],
  ],
  ["aws:cloudhsmv2/hsm:Hsm", () => [hourly("HSM", "HSM", "cloudHsmHour")]],
  [
    "aws:waf/webAcl:WebAcl",
    (i) => [
      monthly("web ACL (WAF Classic)", "web ACL", "wafClassicWebAclMonth"),
      monthly(
        "rules",
        "rule",
        "wafClassicRuleMonth",
        i.length("rules") ?? t`rules are not known until apply`,
      ),
      usage("requests", "wafClassicRequest", "requests", "request"),
    ],
  ],
];
