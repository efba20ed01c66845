#!/usr/bin/env node
import { z } from "zod";
import { run, USAGE } from "./command.js";
import { BadInputError } from "./limits.js";
import { FREE_TYPES } from "./pricers/free.js";
import { costReportSchema } from "./report.js";
import { EXIT_BAD_INPUT } from "./run.js";

function freeTypes(): string {
  return `${[...FREE_TYPES].map(([type, why]) => `${type}\t${why}`).join("\n")}\n`;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) return void process.stdout.write(`${USAGE}\n`);
  if (argv.includes("--json-schema")) {
    return void process.stdout.write(`${JSON.stringify(z.toJSONSchema(costReportSchema), null, 2)}\n`);
  }
  if (argv.includes("--free-types")) return void process.stdout.write(freeTypes());
  try {
    const { output, exitCode, messages } = await run(argv);
    for (const message of messages) process.stderr.write(`pulumi-cost: ${message}\n`);
    process.stdout.write(output, () => process.exit(exitCode));
  } catch (error) {
    const known =
      error instanceof BadInputError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`pulumi-cost: ${known ? "" : "internal error: "}${message}\n\n${USAGE}\n`);
    process.exit(known ? EXIT_BAD_INPUT : 1);
  }
}

void main(process.argv.slice(2));
