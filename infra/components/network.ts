import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  clusterName: string;
  cidr: string;
  azCount: number;
  natGateways: "single" | "per-az";
  provider: aws.Provider;
}

/** Splits a /16–/20 block into /(prefix+4) subnets: the first half public, the second half private. */
export function subnetCidrs(
  cidr: string,
  azCount: number,
): { publicCidrs: string[]; privateCidrs: string[] } {
  const [base = "", prefixText = ""] = cidr.split("/");
  const prefix = Number(prefixText);
  const baseInt = base.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const subnetPrefix = prefix + 4;
  const size = 2 ** (32 - subnetPrefix);
  const toCidr = (index: number) => {
    const value = baseInt + index * size;
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
    return `${octets.join(".")}/${subnetPrefix}`;
  };
  // Private subnets hold the nodes and pods (VPC CNI gives every pod a VPC address), so they start
  // at the middle of the block and stay clear of the small public ones.
  return {
    publicCidrs: Array.from({ length: azCount }, (_, i) => toCidr(i)),
    privateCidrs: Array.from({ length: azCount }, (_, i) => toCidr(8 + i)),
  };
}

/** What every subnet of the network is made with. */
interface SubnetContext {
  name: string;
  args: NetworkArgs;
  resourceOpts: pulumi.CustomResourceOptions;
  vpcId: pulumi.Output<string>;
  zones: pulumi.Output<string[]>;
  clusterTag: Record<string, string>;
}

/** A VPC over 2–3 zones: public subnets for load balancers and NAT, private subnets for the nodes. */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** What it bills by the hour outside Kubernetes (the cost exporter publishes it for the live cost). */
  readonly billedParts: { nat_gateway: number; public_ipv4_address: number };

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:network:Network", name, {}, opts);
    const resourceOpts = { parent: this, provider: args.provider };
    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      { parent: this, provider: args.provider },
    );
    const { publicCidrs, privateCidrs } = subnetCidrs(args.cidr, args.azCount);
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidr,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: { Name: `${args.clusterName}-vpc` },
      },
      resourceOpts,
    );
    const internetGateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { Name: `${args.clusterName}-igw` } },
      resourceOpts,
    );
    const publicRouteTable = new aws.ec2.RouteTable(
      `${name}-public`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
        tags: { Name: `${args.clusterName}-public` },
      },
      resourceOpts,
    );

    const at: SubnetContext = { name, args, resourceOpts, vpcId: vpc.id, zones: zones.names, clusterTag };
    const publicSubnets = this.publicSubnets(at, publicCidrs, publicRouteTable);
    const natCount = args.natGateways === "per-az" ? args.azCount : 1;
    // One Elastic IP per NAT gateway: a public IPv4 address, billed by the hour.
    this.billedParts = { nat_gateway: natCount, public_ipv4_address: natCount };
    const natGateways = this.natGateways(at, natCount, publicSubnets, internetGateway);
    const privateSubnets = this.privateSubnets(at, privateCidrs, natGateways);

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }

  /** The public subnets, one per zone, for load balancers and NAT, routed to the internet gateway. */
  private publicSubnets(
    { name, args, resourceOpts, vpcId, zones, clusterTag }: SubnetContext,
    publicCidrs: string[],
    publicRouteTable: aws.ec2.RouteTable,
  ): aws.ec2.Subnet[] {
    return publicCidrs.map((cidrBlock, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId,
          cidrBlock,
          availabilityZone: zones.apply((names) => names[i] as string),
          // Nodes never get public addresses; only load balancers and NAT live here.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${args.clusterName}-public-${i}`, "kubernetes.io/role/elb": "1", ...clusterTag },
        },
        resourceOpts,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${i}`,
        { subnetId: subnet.id, routeTableId: publicRouteTable.id },
        resourceOpts,
      );
      return subnet;
    });
  }

  /** The NAT gateways (one, or one per zone), each with its Elastic IP, in the first public subnets. */
  private natGateways(
    { name, args, resourceOpts }: SubnetContext,
    natCount: number,
    publicSubnets: aws.ec2.Subnet[],
    internetGateway: aws.ec2.InternetGateway,
  ): aws.ec2.NatGateway[] {
    return Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${i}`,
        { domain: "vpc", tags: { Name: `${args.clusterName}-nat-${i}` } },
        resourceOpts,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        {
          allocationId: eip.id,
          subnetId: (publicSubnets[i] as aws.ec2.Subnet).id,
          tags: { Name: `${args.clusterName}-nat-${i}` },
        },
        { ...resourceOpts, dependsOn: [internetGateway] },
      );
    });
  }

  /** The private subnets, one per zone, for the nodes, each leaving through a NAT gateway. */
  private privateSubnets(
    { name, args, resourceOpts, vpcId, zones, clusterTag }: SubnetContext,
    privateCidrs: string[],
    natGateways: aws.ec2.NatGateway[],
  ): aws.ec2.Subnet[] {
    return privateCidrs.map((cidrBlock, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId,
          cidrBlock,
          availabilityZone: zones.apply((names) => names[i] as string),
          tags: {
            Name: `${args.clusterName}-private-${i}`,
            "kubernetes.io/role/internal-elb": "1",
            ...clusterTag,
          },
        },
        resourceOpts,
      );
      // With one NAT gateway every zone leaves through it (cheaper, one zone of failure); per-az keeps
      // egress inside each zone.
      const nat = natGateways[args.natGateways === "per-az" ? i : 0] as aws.ec2.NatGateway;
      const routeTable = new aws.ec2.RouteTable(
        `${name}-private-${i}`,
        {
          vpcId,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: { Name: `${args.clusterName}-private-${i}` },
        },
        resourceOpts,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i}`,
        { subnetId: subnet.id, routeTableId: routeTable.id },
        resourceOpts,
      );
      return subnet;
    });
  }
}
