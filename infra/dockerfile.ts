/**
 * What a Dockerfile build reads from its context: the sources of the COPY instructions (not `COPY --from=`)
 * of the stages the last stage needs, with the build arguments substituted as BuildKit does. One
 * Dockerfile serves every service (`ARG SERVICE` selects its stage), so a stage another service needs puts
 * nothing into this service's tag.
 */

type Scope = Map<string, string>;

interface Stage {
  name?: string;
  /** The stage or image it starts from. */
  base: string;
  /** Build-context paths its COPY instructions read. */
  copied: string[];
  /** The stages its `COPY --from=` instructions read. */
  copiedFrom: string[];
  scope: Scope;
}

/** The instructions, with line continuations joined and comment lines dropped (as the Dockerfile parser). */
function instructionsOf(dockerfile: string): string[] {
  return dockerfile
    .split(/\r?\n/)
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\[ \t]*\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** `$NAME` and `${NAME}` replaced from the scope; a name not declared there stops the computation. */
function expand(word: string, scope: Scope, instruction: string): string {
  return word.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, bare) => {
    const name = (braced ?? bare) as string;
    const value = scope.get(name);
    if (value === undefined || value === "")
      throw new Error(`\`${instruction}\` uses ${name}, which has no value here (no ARG or no --build-arg)`);
    return value;
  });
}

/** `ARG NAME[=default]`: the build argument wins, then the default, then (in a stage) the global value. */
function declare(
  words: string[],
  scope: Scope,
  buildArgs: Readonly<Record<string, string>>,
  declared: Set<string>,
  global?: Scope,
) {
  for (const word of words) {
    const [name = "", fallback] = word.split(/=(.*)/s);
    declared.add(name);
    const value = buildArgs[name] ?? fallback ?? global?.get(name);
    if (value !== undefined) scope.set(name, value);
  }
}

function stagesOf(dockerfile: string, buildArgs: Readonly<Record<string, string>>): Stage[] {
  const global: Scope = new Map();
  const declared = new Set<string>();
  const stages: Stage[] = [];
  for (const instruction of instructionsOf(dockerfile)) {
    const [keyword = "", ...words] = instruction.split(/\s+/);
    const current = stages.at(-1);
    switch (keyword.toUpperCase()) {
      case "ARG":
        declare(words, current?.scope ?? global, buildArgs, declared, current ? global : undefined);
        break;
      case "FROM": {
        const [image = "", as, name] = words.filter((w) => !w.startsWith("--"));
        const base = expand(image, global, instruction);
        const parent = stages.find((s) => s.name === base);
        // BuildKit carries a parent stage's arguments into the stages built on it.
        const scope = new Map(parent?.scope ?? []);
        stages.push({
          base,
          copied: [],
          copiedFrom: [],
          scope,
          ...(as?.toUpperCase() === "AS" ? { name } : {}),
        });
        break;
      }
      case "COPY": {
        if (!current) throw new Error(`\`${instruction}\` comes before any FROM`);
        const args = words.map((w) => expand(w, current.scope, instruction));
        const from = args.find((a) => a.startsWith("--from="));
        if (from) current.copiedFrom.push(from.slice("--from=".length));
        else current.copied.push(...args.filter((a) => !a.startsWith("--")).slice(0, -1));
        break;
      }
    }
  }
  const undeclared = Object.keys(buildArgs).filter((name) => !declared.has(name));
  if (undeclared.length > 0) throw new Error(`no ARG declares the build argument ${undeclared.join(", ")}`);
  return stages;
}

/** The stage a `FROM` or `--from=` names (by name or index), if it is one and not an image. */
function stageNamed(stages: Stage[], reference: string): Stage | undefined {
  return (
    stages.find((s) => s.name === reference) ??
    (/^\d+$/.test(reference) ? stages[Number(reference)] : undefined)
  );
}

/**
 * The build-context sources (files or directories, relative to the context) the last stage's build copies,
 * in the Dockerfile's order: its own and those of every stage it starts from or copies from.
 */
export function copiedSources(
  dockerfile: string,
  buildArgs: Readonly<Record<string, string>> = {},
): string[] {
  const stages = stagesOf(dockerfile, buildArgs);
  const target = stages.at(-1);
  if (!target) throw new Error("a Dockerfile needs a FROM");
  const needed = new Set<Stage>();
  const visit = (stage: Stage | undefined) => {
    if (!stage || needed.has(stage)) return;
    needed.add(stage);
    visit(stageNamed(stages, stage.base));
    for (const reference of stage.copiedFrom) visit(stageNamed(stages, reference));
  };
  visit(target);
  return stages
    .filter((s) => needed.has(s))
    .flatMap((s) => s.copied)
    .map((p) => p.replace(/^\.\//, "").replace(/\/$/, ""));
}
