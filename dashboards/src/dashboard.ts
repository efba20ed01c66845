/**
 * What every dashboard shares: uid and title from thresholds/dashboards.ts, links to the other dashboards, the
 * `${datasource}` variable, the time range and refresh, and rows of panels laid out by the SDK.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import type { Catalogue } from "../../catalogue/services";
import { DASHBOARD_TITLES, DASHBOARD_UIDS, type DashboardKey } from "../../thresholds/dashboards";
import type { Thresholds } from "../../thresholds/thresholds";
import { DATASOURCE } from "./panels";

/** What a dashboard is built from: the thresholds it draws and the services it lists. */
export interface DashboardContext {
  thresholds: Thresholds;
  catalogue: Catalogue;
}

/** A row of panels: a title and the panels under it, in reading order. */
export interface DashboardRow {
  title: string;
  panels: PanelOfAnyKind[];
}

/** Builds one row from the context. A new dashboard row is one such function, listed in its dashboard. */
export type RowFunction = (context: DashboardContext) => DashboardRow;
type PanelOfAnyKind = cog.Builder<Panel> & { id(id: number): unknown };

export function platformDashboard(key: DashboardKey, description: string, tags: string[]): DashboardBuilder {
  const builder = new DashboardBuilder(DASHBOARD_TITLES[key])
    .uid(DASHBOARD_UIDS[key])
    .description(description)
    .tags(["platform", ...tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .version(1)
    .time({ from: "now-1h", to: "now" })
    .refresh("30s")
    .timezone("browser")
    .withVariable(new DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"));
  for (const other of Object.keys(DASHBOARD_UIDS) as DashboardKey[]) {
    if (other === key) continue;
    builder.link(
      new DashboardLinkBuilder(DASHBOARD_TITLES[other])
        .type(DashboardLinkType.Link)
        .url(`/d/${DASHBOARD_UIDS[other]}`)
        .icon("dashboard")
        .keepTime(true)
        .includeVars(false)
        .targetBlank(false)
        .asDropdown(false),
    );
  }
  return builder;
}

/**
 * The `job` variable: the catalogue's services that report `metric`, the catalogue's first service
 * selected when the dashboard opens. Jobs outside the catalogue (other teams' exporters) are not offered.
 */
export function jobVariable({ catalogue }: DashboardContext, metric: string, description: string) {
  const names = catalogue.map((service) => service.name);
  const first = names[0];
  if (!first) throw new Error("the catalogue lists no service for the job variable");
  const query = `label_values(${metric}, job)`;
  return new QueryVariableBuilder("job")
    .label("Service")
    .description(description)
    .datasource(DATASOURCE)
    .definition(query)
    .query({ query, refId: "PrometheusVariableQueryEditor-VariableQuery", qryType: 1 })
    .regex(`/^(${names.join("|")})$/`)
    .current({ selected: true, text: first, value: first })
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** Adds each row and its panels in order, numbering every panel so links and edits can refer to it. */
export function withRows(
  builder: DashboardBuilder,
  context: DashboardContext,
  rows: RowFunction[],
): DashboardBuilder {
  let id = 1;
  for (const row of rows.map((build) => build(context))) {
    builder.withRow(new RowBuilder(row.title).id(id++));
    for (const panel of row.panels) {
      panel.id(id++);
      builder.withPanel(panel);
    }
  }
  return builder;
}
