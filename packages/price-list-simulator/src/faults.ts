/**
 * Switchable faults: a number of next requests throttled or failed, a standing access denial, a delay, and a
 * request rate above which every request is throttled (a token bucket: constant memory whatever the load).
 * `PUT /_simulator/faults` replaces them all.
 */
import { z } from "zod";
import { ApiError, type Operation } from "./protocol.js";

export const faultsSchema = z.strictObject({
  throttle: z.number().int().min(0).max(1_000_000).default(0),
  serverError: z.number().int().min(0).max(1_000_000).default(0),
  accessDenied: z.boolean().default(false),
  /** Added before every answer, faulty or not. */
  delayMs: z.number().int().min(0).max(60_000).default(0),
  /** Requests per second allowed before ThrottlingException; 0 for no limit. */
  ratePerSecond: z.number().min(0).max(100_000).default(0),
});
export type FaultSettings = z.infer<typeof faultsSchema>;

export interface InjectedFaults {
  throttle: number;
  serverError: number;
  accessDenied: number;
}

export interface Faults {
  current(): FaultSettings;
  replace(next: unknown): FaultSettings;
  injected: InjectedFaults;
  /** Waits the delay, then throws the fault due for this request, if any. */
  beforeAnswer(operation: Operation, accessKey: string): Promise<void>;
}

const throttled = () => new ApiError("ThrottlingException", "Rate exceeded");

export function createFaults(now: () => number = Date.now): Faults {
  let settings = faultsSchema.parse({});
  let tokens = 0;
  let refilledAt = now();
  const injected: InjectedFaults = { throttle: 0, serverError: 0, accessDenied: 0 };

  function overRate(): boolean {
    if (settings.ratePerSecond <= 0) return false;
    const at = now();
    tokens = Math.min(settings.ratePerSecond, tokens + ((at - refilledAt) / 1000) * settings.ratePerSecond);
    refilledAt = at;
    if (tokens < 1) return true;
    tokens -= 1;
    return false;
  }

  return {
    current: () => settings,
    replace(next) {
      settings = faultsSchema.parse(next);
      tokens = settings.ratePerSecond;
      refilledAt = now();
      return settings;
    },
    injected,
    async beforeAnswer(operation, accessKey) {
      if (settings.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
      if (settings.accessDenied) {
        injected.accessDenied++;
        throw new ApiError(
          "AccessDeniedException",
          `User: arn:aws:iam::000000000000:user/${accessKey} is not authorized to perform: pricing:${operation}`,
        );
      }
      if (settings.throttle > 0 || overRate()) {
        if (settings.throttle > 0) settings = { ...settings, throttle: settings.throttle - 1 };
        injected.throttle++;
        throw throttled();
      }
      if (settings.serverError > 0) {
        settings = { ...settings, serverError: settings.serverError - 1 };
        injected.serverError++;
        throw new ApiError(
          "InternalErrorException",
          "An error on the server occurred during the processing of your request. Try again later.",
          500,
        );
      }
    },
  };
}
