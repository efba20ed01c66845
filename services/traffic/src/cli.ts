#!/usr/bin/env node
import { onParentExit, terminalText } from "@platform/service-kit";
import { type CliOptions, parseCliArgs, USAGE, UsageError } from "./cli-options.js";
import { startTraffic } from "./engine.js";
import { createSummaryCollector, formatSummary, progressLine } from "./summary.js";

let options: CliOptions;
try {
  options = parseCliArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  // The message quotes the argument: nothing of it may drive the terminal.
  process.stderr.write(`traffic: ${terminalText(err.message)}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const collector = createSummaryCollector(options.traffic.seed);
const startedAt = performance.now();
const elapsed = () => performance.now() - startedAt;
const run = startTraffic(options.traffic, (result) => collector.record(result));

// A TTY gets one line redrawn in place; a log file gets a line every few seconds.
const tty = process.stderr.isTTY;
const progress = options.quiet
  ? undefined
  : setInterval(
      () => {
        const line = progressLine(collector.summary(elapsed()));
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      },
      tty ? 1000 : 5000,
    );

let stoppedEarly = false;
const stopEarly = () => {
  stoppedEarly = true;
  void run.stop();
};
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, stopEarly);
onParentExit(stopEarly);

await run.done;
if (progress) clearInterval(progress);
if (tty && !options.quiet) process.stderr.write("\n");
const summary = collector.summary(elapsed(), stoppedEarly);
process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
