import type { Settings } from "./config";

/** Composes the platform's components for one stack; grows with each concern. */
export function definePlatform(settings: Settings): Record<string, unknown> {
  return { stack: settings.stack };
}
