import type { TrafficServiceDeps } from "./app.js";

type PausedOverrides = Partial<Omit<TrafficServiceDeps, "traffic">> & {
  traffic?: Partial<TrafficServiceDeps["traffic"]>;
};

/**
 * A traffic service that sends nothing until PUT /control sets a rate: rate 0, aimed at the discard port,
 * pages only. Tests that drive the control (or only need its routes) start from it and change what they test.
 */
export function pausedTrafficDeps({ traffic, ...rest }: PausedOverrides = {}): TrafficServiceDeps {
  return {
    traffic: {
      target: "http://127.0.0.1:9",
      concurrency: 1,
      mix: { page: 1, product: 0, checkout: 0 },
      seed: 1,
      badCheckoutRate: 0,
      ...traffic,
    },
    pace: { rate: 0, shape: "steady", periodMs: 0 },
    maxRate: 20,
    ...rest,
  };
}
