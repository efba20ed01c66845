/** How alerts and dashboards write a threshold's number: the same text in a rule, a description and a panel. */

/** A fraction as a percentage for people: 0.999 → "99.9%". */
export const percent = (fraction: number) => `${Number((fraction * 100).toPrecision(6))}%`;

/** A number as PromQL writes it, without floating-point noise such as 0.014400000000000001. */
export const num = (value: number) => String(Number(value.toPrecision(12)));
