/**
 * Shared panel defaults: small functions that return the Foundation SDK's builders with what every panel
 * of these dashboards has (the `${datasource}` variable, a size, a legend and tooltip, colours, a base
 * threshold), so a dashboard module only chains what is particular to a panel.
 */

import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  type DataSourceRef,
  FieldColorBuilder,
  FieldColorModeId,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import {
  DataqueryBuilder,
  PromQueryFormat,
  QueryEditorMode,
} from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

/** Every query goes through the `${datasource}` variable: no datasource uid is ever written down. */
export const DATASOURCE: DataSourceRef = { type: "prometheus", uid: "${datasource}" };

/** Units Grafana knows that the SDK's `units` module has no name for. */
export const UNITS = {
  times: "x",
  ordersPerMinute: "suffix: orders/min",
  requestsPerMinute: "suffix: req/min",
} as const;

/** A duration for people, as a description says it: 0.3 → "300 ms". */
export const milliseconds = (seconds: number) => `${Number((seconds * 1000).toPrecision(12))} ms`;

type Step = [color: string, from: number];

const thresholdSteps = (base: string, steps: Step[]): ThresholdsConfigBuilder =>
  new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([{ color: base, value: null } as Threshold, ...steps.map(([color, value]) => ({ color, value }))]);

/** Green, then each colour from its value up: for values where high is bad (errors, latency, cost). */
export const greenThen = (...steps: Step[]) => thresholdSteps("green", steps);
/** Red, then each colour from its value up: for values where low is bad (success ratios, targets up). */
export const redThen = (...steps: Step[]) => thresholdSteps("red", steps);

/** A query drawn over the dashboard's time range. */
export const rangeQuery = (refId: string, expr: string, legend = "__auto") =>
  new DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(refId)
    .expr(expr)
    .legendFormat(legend)
    .range()
    .editorMode(QueryEditorMode.Code);

/** A query for one value now (stats, gauges, bar gauges). */
export const instantQuery = (refId: string, expr: string, legend = "__auto") =>
  new DataqueryBuilder()
    .datasource(DATASOURCE)
    .refId(refId)
    .expr(expr)
    .legendFormat(legend)
    .instant()
    .editorMode(QueryEditorMode.Code);

/** A query for one value per series now, as table rows (`Value #<refId>` columns). */
export const tableQuery = (refId: string, expr: string) =>
  instantQuery(refId, expr).format(PromQueryFormat.Table);

const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).fields("").values(false);

const colouredBy = (mode: FieldColorModeId) => new FieldColorBuilder().mode(mode);

/** A graph over time, 8 × 8, thin lines with a light fill; `stacked` for parts of a whole. */
export function timeseriesPanel(title: string, description: string, unit: string, stacked = false) {
  return new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(8)
    .height(8)
    .thresholds(greenThen())
    .colorScheme(colouredBy(FieldColorModeId.PaletteClassic))
    .drawStyle(common.GraphDrawStyle.Line)
    .lineWidth(1)
    .fillOpacity(stacked ? 30 : 10)
    .showPoints(common.VisibilityMode.Never)
    .spanNulls(true)
    .stacking(
      new common.StackingConfigBuilder()
        .mode(stacked ? common.StackingMode.Normal : common.StackingMode.None)
        .group("A"),
    )
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );
}

/** Draws a graph's thresholds as lines, so it shows where "too much" starts. */
export const thresholdLines = () =>
  new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line);

/** One number now (its last value), 8 × 5, coloured by its thresholds, with a sparkline. */
export function statPanel(title: string, description: string, unit: string) {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(8)
    .height(5)
    .thresholds(greenThen())
    .colorScheme(colouredBy(FieldColorModeId.Thresholds))
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Auto)
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area)
    .textMode(common.BigValueTextMode.Auto)
    .justifyMode(common.BigValueJustifyMode.Auto);
}

/** One value now against its range, 8 × 8, coloured by its thresholds. */
export function gaugePanel(title: string, description: string, unit: string) {
  return new gauge.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(8)
    .height(8)
    .thresholds(greenThen())
    .colorScheme(colouredBy(FieldColorModeId.Thresholds))
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Auto);
}

/** One horizontal bar per series (per day, per AWS service), 8 × 8. */
export function barGaugePanel(title: string, description: string, unit: string) {
  return new bargauge.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(8)
    .height(8)
    .thresholds(greenThen())
    .colorScheme(colouredBy(FieldColorModeId.Thresholds))
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .showUnfilled(true);
}

/**
 * One row per label set, one column per query (Grafana's "merge" and "organize fields" transformations),
 * 24 × 6: e.g. one row per stack with what it was estimated, runs at and is billed.
 */
export function tablePanel(
  title: string,
  description: string,
  unit: string,
  columns: Record<string, string>,
) {
  return new table.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(24)
    .height(6)
    .thresholds(greenThen())
    .withTransformation({ id: "merge", options: {} })
    .withTransformation({
      id: "organize",
      options: {
        excludeByName: { Time: true },
        renameByName: Object.fromEntries(
          Object.entries(columns).map(([refId, header]) => [`Value #${refId}`, header]),
        ),
      },
    });
}
