import { terminalSafeJson } from "./terminal.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether lines of this level are written, so callers can skip building fields nobody reads. */
  enabled(level: Exclude<LogLevel, "silent">): boolean;
  /** A logger that adds these fields (for example a request id) to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go; standard output by default. */
  write?: (line: string) => void;
}

/**
 * One JSON object per line, so log pipelines (Loki, CloudWatch) parse it without rules; what a terminal
 * would act on (C1 controls, bidi controls, line separators) is escaped, since logs are read in one too.
 */
export function createLogger({ service, level = "info", write }: LoggerOptions): Logger {
  const sink = write ?? ((line: string) => process.stdout.write(line));
  return new JsonLogger({ service, threshold: RANK[level], sink }, {});
}

interface LoggerTarget {
  service: string;
  threshold: number;
  sink: (line: string) => void;
}

// A class rather than closures: services make a child per request, which must cost next to nothing.
class JsonLogger implements Logger {
  constructor(
    private readonly target: LoggerTarget,
    private readonly bound: LogFields,
  ) {}

  debug(msg: string, fields?: LogFields) {
    this.emit("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields) {
    this.emit("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields) {
    this.emit("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields) {
    this.emit("error", msg, fields);
  }
  enabled(level: Exclude<LogLevel, "silent">): boolean {
    return RANK[level] >= this.target.threshold;
  }
  child(fields: LogFields): Logger {
    return new JsonLogger(this.target, { ...this.bound, ...fields });
  }

  private emit(level: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) {
    const { service, threshold, sink } = this.target;
    if (RANK[level] < threshold) return;
    const line = { time: new Date().toISOString(), level, service, msg, ...this.bound, ...fields };
    sink(`${terminalSafeJson(JSON.stringify(line, errorReplacer))}\n`);
  }
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
