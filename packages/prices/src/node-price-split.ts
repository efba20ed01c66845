import { exact, type Money } from "./money.js";

/**
 * A node's hourly price split into a price per vCPU-hour and per GiB-hour, the way OpenCost does it when it
 * knows a node's total price but not its parts: its default CPU and RAM prices fix the ratio between the two,
 * and the node's price is shared out so that vCPUs × CPU rate + GiB × RAM rate = the node's price.
 *
 * | figure | source | read on |
 * | --- | --- | --- |
 * | the split: ramPrice = nodePrice / (cpus × cpuToRAMRatio + ramGiB), cpuPrice = ramPrice × cpuToRAMRatio | opencost/opencost, pkg/costmodel/costmodel.go (node pricing when only the total cost is known) | 2026-12-01 |
 * | CPU 0.031611 per vCPU-hour, RAM 0.004237 per GiB-hour (used only for their ratio) | opencost/opencost, configs/default.json | 2026-12-01 |
 *
 * The two rates are rounded to a millionth of a dollar (the precision of OpenCost's own defaults), so a
 * reviewer can multiply them out; they then add up to the node's price within $0.00001 per hour.
 */
export const OPENCOST_DEFAULT_CPU_HOUR = "0.031611";
export const OPENCOST_DEFAULT_RAM_GIB_HOUR = "0.004237";
const RATE_DECIMALS = 6;

export interface NodePriceSplit {
  perVcpuHour: Money;
  perGiBHour: Money;
}

export function splitNodePrice(hourly: Money, vcpu: number, memoryGiB: number): NodePriceSplit {
  const cpuToRam = exact(OPENCOST_DEFAULT_CPU_HOUR).dividedBy(exact(OPENCOST_DEFAULT_RAM_GIB_HOUR));
  // Memory in GiB is MiB / 1024 (3.75 for a c4.large): a binary fraction, which JavaScript prints exactly.
  const ramMultiple = exact(vcpu)
    .times(cpuToRam)
    .plus(exact(String(memoryGiB)));
  if (ramMultiple.isZero()) return { perVcpuHour: exact(0), perGiBHour: exact(0) };
  const perGiB = hourly.dividedBy(ramMultiple);
  return {
    perVcpuHour: perGiB.times(cpuToRam).toDecimalPlaces(RATE_DECIMALS),
    perGiBHour: perGiB.toDecimalPlaces(RATE_DECIMALS),
  };
}
