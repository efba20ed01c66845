/** GetCostForecast: the rest of a period at the simulated daily rate, with an 80 % interval. */
import { z } from "zod";
import { formatAmount } from "../decimal.js";
import { forecastAmounts, type SimulatorClock } from "./dataset.js";
import { checkPeriod, dateInterval, money, parseRequest, periods, ValidationError } from "./protocol.js";

/** GetCostForecast's metric names and the cost basis each forecasts (a Map: the name comes from the request). */
const FORECAST_METRICS = new Map([
  ["UNBLENDED_COST", "UnblendedCost"],
  ["AMORTIZED_COST", "AmortizedCost"],
  ["BLENDED_COST", "BlendedCost"],
  ["NET_UNBLENDED_COST", "NetUnblendedCost"],
  ["NET_AMORTIZED_COST", "NetAmortizedCost"],
]);

const costForecastRequest = z.object({
  TimePeriod: dateInterval,
  Granularity: z.enum(["DAILY", "MONTHLY"]),
  Metric: z.enum([...FORECAST_METRICS.keys()]),
  PredictionIntervalLevel: z.number().int().min(51).max(99).optional(),
});

/** Answers a GetCostForecast request body at the simulator's clock. */
export function getCostForecast(body: unknown, clock: SimulatorClock) {
  const request = parseRequest(costForecastRequest, body);
  checkPeriod(request.TimePeriod);
  if (request.TimePeriod.Start < clock.today) {
    throw new ValidationError("Start date must be equal to or no later than the current date");
  }
  const basis = FORECAST_METRICS.get(request.Metric) as string;
  const byPeriod = periods(request.TimePeriod.Start, request.TimePeriod.End, request.Granularity).map(
    (p) => ({
      p,
      ...forecastAmounts(p.Start, p.End, basis),
    }),
  );
  const total = byPeriod.reduce((sum, f) => sum + f.mean, 0n);
  return {
    Total: money(total),
    ForecastResultsByTime: byPeriod.map(({ p, mean, lower, upper }) => ({
      TimePeriod: p,
      MeanValue: formatAmount(mean),
      PredictionIntervalLowerBound: formatAmount(lower),
      PredictionIntervalUpperBound: formatAmount(upper),
    })),
  };
}
