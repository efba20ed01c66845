import { z } from "zod";

/** Endpoints whose behaviour the simulation can change. */
export const SIMULATED_ENDPOINTS = ["index", "product", "products", "checkout"] as const;
export type SimulatedEndpoint = (typeof SIMULATED_ENDPOINTS)[number];

// Capped below the default SHUTDOWN_TIMEOUT so a simulated delay never outlives a graceful shutdown.
const MAX_DELAY_MS = 9_000;
const rate = z.number().min(0).max(1);

const endpointSettings = {
  delayMs: z
    .object({ min: z.number().min(0).max(MAX_DELAY_MS), max: z.number().min(0).max(MAX_DELAY_MS) })
    .strict()
    .refine((delay) => delay.min <= delay.max, { message: "min must not be larger than max" })
    .optional(),
  errorRate: rate.optional(),
};

/** The whole simulation: every field optional, unknown fields rejected so typos do not pass silently. */
export const simulationSchema = z
  .object({
    index: z.object(endpointSettings).strict().optional(),
    product: z.object(endpointSettings).strict().optional(),
    products: z.object(endpointSettings).strict().optional(),
    checkout: z
      .object({ ...endpointSettings, outOfStockRate: rate.optional(), paymentFailureRate: rate.optional() })
      .strict()
      .optional(),
  })
  .strict();

export type SimulationSettings = z.infer<typeof simulationSchema>;

export type ParsedSimulation = { ok: true; settings: SimulationSettings } | { ok: false; problems: string[] };

/** Validates simulation settings, naming each bad field by its path (e.g. `checkout.errorRate`). */
export function parseSimulation(value: unknown): ParsedSimulation {
  const result = simulationSchema.safeParse(value);
  if (result.success) return { ok: true, settings: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
  };
}

export interface Simulation {
  readonly settings: SimulationSettings;
  /** Replaces the whole simulation; requests already waiting keep the delay they drew. */
  replace(settings: SimulationSettings): void;
  /** The simulated processing time of an endpoint to wait for, or undefined when there is none. */
  delay(endpoint: SimulatedEndpoint): Promise<void> | undefined;
  /** Whether this request should fail as if the endpoint were broken. */
  fails(endpoint: SimulatedEndpoint): boolean;
  /** Whether this checkout should be turned away as out of stock. */
  outOfStock(): boolean;
  /** Whether this checkout's payment should be declined. */
  paymentFails(): boolean;
}

/** Simulated latency and failures; `random` is injectable so tests can force each branch. */
export function createSimulation(initial: SimulationSettings = {}, random = Math.random): Simulation {
  let settings = initial;
  const happens = (probability: number | undefined) =>
    probability !== undefined && probability > 0 && random() < probability;
  return {
    get settings() {
      return settings;
    },
    replace(next) {
      settings = next;
    },
    delay(endpoint) {
      const range = settings[endpoint]?.delayMs;
      if (!range) return undefined;
      const ms = range.min + random() * (range.max - range.min);
      return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
    },
    fails: (endpoint) => happens(settings[endpoint]?.errorRate),
    outOfStock: () => happens(settings.checkout?.outOfStockRate),
    paymentFails: () => happens(settings.checkout?.paymentFailureRate),
  };
}
