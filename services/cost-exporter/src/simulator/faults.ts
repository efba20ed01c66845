/** The simulator's fault switches: throttling, server errors, bad credentials, malformed answers, delay. */
import type { Context } from "hono";
import { z } from "zod";
import { awsError, type Operation } from "./protocol.js";

/** AWS's answer to an account that never opened Cost Explorer (as botocore reports it; dated in the README). */
export const NOT_ENABLED_MESSAGE = "User not enabled for cost explorer access";

/** Fault switches (`PUT /_simulator/faults` replaces them all): counts fail that many next requests. */
export const simulatorFaultsSchema = z.strictObject({
  throttle: z.number().int().min(0).default(0),
  serverError: z.number().int().min(0).default(0),
  /** Added to every answer, faulty or not. */
  delayMs: z.number().int().min(0).max(120_000).default(0),
  accessDenied: z.boolean().default(false),
  /** Answers as AWS answers an account that never opened Cost Explorer in the console. */
  notEnabled: z.boolean().default(false),
  expiredToken: z.boolean().default(false),
  malformed: z.number().int().min(0).default(0),
});
export type SimulatorFaults = z.infer<typeof simulatorFaultsSchema>;

export type InjectedFaults = Record<
  "throttle" | "serverError" | "accessDenied" | "notEnabled" | "expiredToken" | "malformed",
  number
>;

export interface Faults {
  current(): SimulatorFaults;
  replace(next: unknown): SimulatorFaults;
  /** How many of each fault were injected so far. */
  injected: InjectedFaults;
  /** Waits the configured delay, then answers with the fault due for this request, if any. */
  beforeAnswer(c: Context, operation: Operation): Promise<Response | undefined>;
  /** A malformed answer instead of the real one, when one is due. */
  malformedAnswer(operation: Operation): unknown;
}

export function createFaults(): Faults {
  let faults: SimulatorFaults = simulatorFaultsSchema.parse({});
  const injected: InjectedFaults = {
    throttle: 0,
    serverError: 0,
    accessDenied: 0,
    notEnabled: 0,
    expiredToken: 0,
    malformed: 0,
  };
  return {
    current: () => faults,
    replace(next) {
      faults = simulatorFaultsSchema.parse(next);
      return faults;
    },
    injected,
    async beforeAnswer(c, operation) {
      if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
      // Status codes and __type values as AWS sends them.
      if (faults.expiredToken) {
        injected.expiredToken++;
        return awsError(
          c,
          400,
          "com.amazon.coral.service#ExpiredTokenException",
          "The security token included in the request is expired",
        );
      }
      if (faults.notEnabled) {
        injected.notEnabled++;
        return awsError(c, 400, "AccessDeniedException", NOT_ENABLED_MESSAGE);
      }
      if (faults.accessDenied) {
        injected.accessDenied++;
        return awsError(
          c,
          400,
          "AccessDeniedException",
          `User is not authorized to perform: ce:${operation}`,
        );
      }
      if (faults.throttle > 0) {
        faults.throttle--;
        injected.throttle++;
        return awsError(c, 400, "LimitExceededException", "Rate exceeded");
      }
      if (faults.serverError > 0) {
        faults.serverError--;
        injected.serverError++;
        return awsError(
          c,
          500,
          "InternalFailure",
          "The request processing has failed because of an unknown error.",
        );
      }
      return undefined;
    },
    malformedAnswer(operation) {
      if (faults.malformed <= 0) return undefined;
      faults.malformed--;
      injected.malformed++;
      return malformed(operation);
    },
  };
}

/** An answer that parses as JSON but that no client should trust: amounts that are not numbers. */
function malformed(operation: Operation) {
  if (operation === "GetCostForecast") return { Total: { Amount: "about a hundred", Unit: "USD" } };
  return {
    ResultsByTime: [
      {
        TimePeriod: { Start: "2024-01-01", End: "2024-01-02" },
        Groups: [
          {
            Keys: ["Amazon Elastic Compute Cloud - Compute"],
            Metrics: { UnblendedCost: { Amount: "1,5", Unit: "USD" } },
          },
        ],
        Estimated: false,
      },
    ],
  };
}
