import type { Children } from "../children.js";
import type { LocalSettings } from "../settings.js";

/** One line of the start-up table. */
export interface Row {
  name: string;
  url?: string;
  status: "running" | "skipped";
  note: string;
}

/** What every component's start function gets from the runner. */
export interface LocalContext {
  settings: LocalSettings;
  /** Ports as bound (a setting of 0 is resolved to a free port before anything starts). */
  ports: Record<string, number>;
  /** `http://127.0.0.1:<port>` of a component. */
  url(component: string): string;
  dataDir: string;
  children: Children;
}
