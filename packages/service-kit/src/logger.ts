export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields (for example a request id) to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; standard output by default. */
  write?: (line: string) => void;
}

/** One JSON object per line, so log pipelines (Loki, CloudWatch) parse it without rules. */
export function createLogger({ service, level = "info", write }: LoggerOptions): Logger {
  const sink = write ?? ((line: string) => process.stdout.write(line));
  const threshold = RANK[level];
  const make = (bound: LogFields): Logger => {
    const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) => {
      if (RANK[lvl] < threshold) return;
      const line = { time: new Date().toISOString(), level: lvl, service, msg, ...bound, ...fields };
      sink(`${JSON.stringify(line, errorReplacer)}\n`);
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make({});
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
