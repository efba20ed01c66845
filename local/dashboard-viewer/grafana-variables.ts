/**
 * Template variables as Grafana 12's frontend treats them: what `$job`, `${job}`, `${job:csv}` and `[[job]]`
 * become in a Prometheus query (the data source's `interpolateQueryExpr` and escaping), and the options and
 * chosen value of a variable (`label_values(…)` filtered by its regex and sorted). Pure, like grafana.ts:
 * the viewer's page runs it in the browser and the unit tests in Node.
 */
import type { Variable } from "./grafana.js";

/** A variable's value as a dashboard is shown: what `$name` becomes in queries. */
export interface VariableValue {
  name: string;
  /** One value, or several for a multi-value variable; `$__all` when "All" is selected. */
  value: string | string[];
  options: string[];
  multi: boolean;
  includeAll: boolean;
  allValue?: string | null | undefined;
}

export const ALL = "$__all";

/** Grafana's classic escaping of a single value in a Prometheus query (backslash and single quote). */
function prometheusRegularEscape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/'/g, "\\\\'");
}

/** Grafana's classic escaping of one of several values, which end up in a regex matcher. */
function prometheusSpecialRegexEscape(value: string): string {
  return value.replace(/\\/g, "\\\\\\\\").replace(/[$^*{}[\]+?.()|]/g, "\\\\$&");
}

function selectedValues(variable: VariableValue): string[] {
  const values = Array.isArray(variable.value) ? variable.value : [variable.value];
  return values.includes(ALL) ? variable.options : values;
}

/** A variable's value in a Prometheus expression, with the format Grafana applies by default. */
function formatForPrometheus(variable: VariableValue): string {
  const all = Array.isArray(variable.value) ? variable.value.includes(ALL) : variable.value === ALL;
  if (all && variable.includeAll && variable.allValue) return variable.allValue;
  if (!variable.multi && !variable.includeAll) {
    return prometheusRegularEscape(selectedValues(variable)[0] ?? "");
  }
  const escaped = selectedValues(variable).map(prometheusSpecialRegexEscape);
  return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join("|")})`;
}

function formatExplicitly(variable: VariableValue, format: string): string {
  const values = selectedValues(variable);
  switch (format) {
    case "raw":
      return values.join(",");
    case "csv":
      return values.join(",");
    case "pipe":
      return values.join("|");
    case "regex": {
      const escaped = values.map((v) => v.replace(/[\\^$*+?.()|[\]{}/]/g, "\\$&"));
      return escaped.length === 1 ? (escaped[0] as string) : `(${escaped.join("|")})`;
    }
    default:
      return formatForPrometheus(variable);
  }
}

/**
 * Replaces the dashboard's own variables (`$job`, `${job}`, `${job:regex}`, `[[job]]`) as Grafana's
 * template service does; names it does not know (the built-ins, a typo) stay as written.
 */
export function interpolateVariables(expr: string, variables: ReadonlyMap<string, VariableValue>): string {
  return expr.replace(
    /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g,
    (
      whole,
      plain?: string,
      bracketName?: string,
      bracketFormat?: string,
      braceName?: string,
      braceFormat?: string,
    ) => {
      const name = plain ?? bracketName ?? braceName;
      const variable = name === undefined ? undefined : variables.get(name);
      if (!variable) return whole;
      const format = bracketFormat ?? braceFormat;
      return format ? formatExplicitly(variable, format) : formatForPrometheus(variable);
    },
  );
}

/** A variable's query as text (`query` is a string in old dashboards, an object in new ones). */
export function variableQueryText(variable: Variable): string {
  return typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
}

/** `label_values(metric, label)` or `label_values(label)`, as the Prometheus data source reads them. */
export function parseLabelValuesQuery(query: string): { metric?: string; label: string } | undefined {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(query);
  if (!match?.[2]) return undefined;
  return match[1] ? { metric: match[1], label: match[2] } : { label: match[2] };
}

/** A `/pattern/flags` regex as Grafana stores a variable's regex, or undefined for an empty one. */
function variableRegex(text: string | undefined): RegExp | undefined {
  if (!text) return undefined;
  const match = /^\/(.*)\/([gimsuy]*)$/s.exec(text);
  return match ? new RegExp(match[1] as string, (match[2] ?? "").replace("g", "")) : new RegExp(text);
}

/**
 * A query variable's options from the values its query found: filtered by its regex (a capture group, or
 * the named group `value`, picks the part kept), without repeats, sorted as its `sort` says (0 none,
 * 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical ignoring case, 7/8 natural; odd ascending).
 */
export function variableOptions(values: readonly string[], regexText?: string, sort = 0): string[] {
  const regex = variableRegex(regexText);
  const kept: string[] = [];
  for (const value of values) {
    if (!regex) {
      kept.push(value);
      continue;
    }
    const match = regex.exec(value);
    if (!match) continue;
    const picked = match.groups?.value ?? match.groups?.text ?? (match[1] ? match[1] : value);
    kept.push(picked);
  }
  const unique = [...new Set(kept)];
  const ascending = sort % 2 === 1;
  const compare: ((a: string, b: string) => number) | undefined =
    sort === 1 || sort === 2
      ? (a, b) => (a < b ? -1 : a > b ? 1 : 0)
      : sort === 3 || sort === 4
        ? (a, b) =>
            (Number.parseFloat(a.replace(/^\D+/, "")) || 0) - (Number.parseFloat(b.replace(/^\D+/, "")) || 0)
        : sort === 5 || sort === 6
          ? (a, b) => a.toLowerCase().localeCompare(b.toLowerCase())
          : sort === 7 || sort === 8
            ? (a, b) => a.localeCompare(b, undefined, { numeric: true })
            : undefined;
  if (!compare) return unique;
  const sorted = unique.sort(compare);
  return ascending ? sorted : sorted.reverse();
}

/**
 * The value a variable shows: the one asked for (a `var-<name>` URL parameter, else the saved current
 * value) when the options hold it, else the first option, as Grafana does after refreshing the options.
 */
export function chooseValue(
  variable: Pick<Variable, "multi" | "includeAll">,
  options: readonly string[],
  wanted: readonly string[],
): string | string[] {
  const available = (value: string) =>
    options.includes(value) || (variable.includeAll === true && value === ALL);
  const kept = wanted.filter(available);
  if (variable.multi) {
    if (kept.length > 0) return kept;
    return options.length > 0 ? [options[0] as string] : [...wanted];
  }
  if (kept[0] !== undefined) return kept[0];
  if (variable.includeAll && options.length > 0) return ALL;
  return options[0] ?? wanted[0] ?? "";
}

/** The values a variable was saved with. */
export function savedValues(variable: Variable): string[] {
  const value = variable.current?.value;
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The options of variables whose options are written in the dashboard (custom, constant, textbox). */
export function staticOptions(variable: Variable): string[] | undefined {
  const query = variableQueryText(variable);
  switch (variable.type) {
    case "custom":
      return query
        .split(/(?<!\\),/)
        .map((part) => part.trim().replace(/\\,/g, ","))
        .filter(Boolean);
    case "constant":
      return [query];
    case "textbox":
      return [savedValues(variable)[0] ?? query];
    default:
      return undefined;
  }
}
