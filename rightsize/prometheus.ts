/**
 * Reading a Prometheus over its HTTP API, by GET only (what the read-only identity is allowed through the
 * API server's service proxy): instant queries and the rule groups. The base URL may carry a path (the
 * service proxy's `/api/v1/namespaces/<ns>/services/<name>:<port>/proxy`). A failed request is retried with
 * backoff; an answer is capped in size; nothing is written.
 */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** What the server says, as one short line: it reaches a terminal and a CI log. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, " ").slice(0, 300);
const ATTEMPTS = 3;

export interface PrometheusClient {
  base: string;
  query(expr: string): Promise<Sample[]>;
  /** The evaluation interval of a rule group, or undefined when Prometheus has no such group. */
  groupInterval(name: string): Promise<number | undefined>;
}

/** `url` as a base URL without a trailing slash; only http and https. */
export function prometheusBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--prometheus must be an http(s) URL, not ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`--prometheus must be an http(s) URL, not ${parsed.protocol}`);
  }
  return parsed.toString().replace(/\/+$/, "");
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      if (text.length > MAX_ANSWER_BYTES) throw new Error(`answer over ${MAX_ANSWER_BYTES} bytes`);
      const body = JSON.parse(text) as { status?: string; error?: string; data?: unknown };
      if (res.status >= 400 && res.status < 500) {
        // A bad query or no permission: the same request would fail again.
        throw Object.assign(new Error(body.error ?? `HTTP ${res.status}`), { final: true });
      }
      if (body.status !== "success") throw new Error(body.error ?? `HTTP ${res.status}`);
      return body.data;
    } catch (error) {
      lastError = error;
      if ((error as { final?: boolean }).final || attempt === ATTEMPTS) break;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
    }
  }
  throw new Error(`Prometheus at ${url.split("?")[0]}: ${oneLine((lastError as Error).message)}`);
}

export function prometheusClient(url: string, timeoutMs = 30_000): PrometheusClient {
  const base = prometheusBase(url);
  return {
    base,
    async query(expr) {
      const data = (await getJson(`${base}/api/v1/query?query=${encodeURIComponent(expr)}`, timeoutMs)) as {
        resultType: string;
        result: { metric: Record<string, string>; value: [number, string] }[];
      };
      if (data.resultType !== "vector") throw new Error(`expected a vector from ${expr.slice(0, 80)}`);
      return data.result
        .map((r) => ({ labels: r.metric, value: Number(r.value[1]) }))
        .filter((s) => Number.isFinite(s.value));
    },
    async groupInterval(name) {
      const data = (await getJson(`${base}/api/v1/rules?type=record`, timeoutMs)) as {
        groups: { name: string; interval: number }[];
      };
      return data.groups.find((g) => g.name === name)?.interval;
    },
  };
}
