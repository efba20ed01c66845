import { MAX_TIMER_MS } from "@platform/numbers";
import { z } from "zod";
import { iamPrincipalArnHint, iamPrincipalArnPattern } from "./iam-arns";

/** The kinds of value the settings take (config.ts), each with the message a bad one gets. */

/** What an EKS access entry's principal may be: an IAM role (preferred) or an IAM user, either with a path. */
export const iamPrincipalArn = z.string().regex(iamPrincipalArnPattern, iamPrincipalArnHint);

export const quantity = z
  .string()
  .regex(/^[1-9]\d*(Mi|Gi|Ti)$/, "a Kubernetes quantity above zero such as 50Gi (Mi, Gi or Ti)");

/** RFC 1918: the address blocks a VPC may use without taking someone else's public addresses. */
const privateRanges: [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
];
const ipv4 = (text: string) => text.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
export const cidr16to20 = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(1[6-9]|20)$/, "an IPv4 CIDR block from /16 to /20")
  .refine((value) => {
    const octets = value.split("/")[0]?.split(".").map(Number) ?? [];
    return octets.every((octet) => octet <= 255);
  }, "an IPv4 CIDR block with octets 0-255")
  .refine((value) => {
    const [address = "", bits = "0"] = value.split("/");
    return ipv4(address) % 2 ** (32 - Number(bits)) === 0;
  }, "a network address: the host bits after the prefix must be zero (10.0.0.0/16, not 10.0.5.7/16)")
  .refine((value) => {
    const [address = "", bits = "0"] = value.split("/");
    return privateRanges.some(
      ([base, size]) =>
        Number(bits) >= size && Math.floor(ipv4(address) / 2 ** (32 - size)) === base / 2 ** (32 - size),
    );
  }, "a private block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");

/** Kubernetes namespaces the platform must not take: shared or owned by Kubernetes itself. */
export const namespace = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a DNS label")
  .max(63)
  .refine((value) => value !== "default" && !value.startsWith("kube-"), "not default and not kube-*");

/**
 * A DNS name the stack owns: the storefront's address, and `grafana.<name>` for a Grafana behind the load
 * balancer. ACM puts the first name of a certificate in its subject, which holds 64 characters at most.
 */
export const domainName = z
  .string()
  .max(64, "at most 64 characters (ACM's limit for a certificate's first name)")
  .regex(
    /^(?=.{1,64}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "a lower-case DNS name such as shop.example.com",
  );

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const refreshInterval = z
  .string()
  .regex(/^\d+(m|h)$/, "a duration in whole minutes or hours such as 8h")
  .refine((value) => {
    const ms = Number(value.slice(0, -1)) * (value.endsWith("h") ? 3_600_000 : 60_000);
    return ms >= 60_000 && ms <= MAX_TIMER_MS;
  }, "from 1m (the exporter's minimum) to 596h (the longest timer Node keeps)");
