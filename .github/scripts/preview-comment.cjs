// Posts one pull-request comment per stack and edits it on every later run, found by a hidden
// marker at its very top, so a busy pull request keeps one current preview per stack instead of a trail of them.
// Loaded by actions/github-script in the pulumi-cost action (and by drift-summary.cjs); tests drive it with a
// fake client. Everything comes from the one `pulumi preview --json` the job runs, which is the pull request's
// output: what it names is shown as text only (one line each, inside a code block or code span).
const fs = require("node:fs");

/** GitHub rejects comments longer than this. */
const COMMENT_LIMIT = 65_536;
/** The longest line of the changed resources shown (a longer one is cut). */
const LINE_LIMIT = 300;
/** The largest preview file read (a 20,000-resource preview is about 13 MB). */
const PREVIEW_LIMIT = 64 * 2 ** 20;

/** One line: a line break in a name would end its line, its code span or its code block. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters replaced
const oneLine = (text) => String(text).replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, " ");

/** Text as a code span that nothing in it can close (CommonMark: a longer run of backticks fences it). */
function codeSpan(text) {
  const content = oneLine(text);
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A code block fence longer than any run of backticks in the lines, so none of them can close it. */
function fenceFor(lines) {
  let longest = 2;
  for (const line of lines)
    for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(longest + 1);
}

/** Lines in a fenced code block that nothing in them can close. */
function codeBlock(lines, info = "", fence = fenceFor(lines)) {
  return [`${fence}${info}`, ...lines, fence].join("\n");
}

const marker = (stack) => `<!-- pulumi-preview:${stack} -->`;

const OP_SYMBOL = {
  create: "+",
  update: "~",
  replace: "+-",
  "create-replacement": "+-",
  "delete-replaced": "+-",
  delete: "-",
};

/** "2 to create · 1 to update · 31 unchanged" from the preview's changeSummary. */
function changeSummaryLine(preview) {
  const summary = preview?.changeSummary ?? {};
  const words = {
    create: "to create",
    update: "to update",
    replace: "to replace",
    delete: "to delete",
    same: "unchanged",
  };
  // Counts only: the summary is the preview's output too.
  const parts = Object.entries(words)
    .filter(([op]) => Number.isSafeInteger(summary[op]) && summary[op] > 0)
    .map(([op, word]) => `${summary[op]} ${word}`);
  return parts.length > 0 ? parts.join(" · ") : "no changes";
}

/** One line per changed resource (replacements once, updates with their changed paths), for the collapsed list. */
function changedResources(preview) {
  const seen = new Set();
  const lines = [];
  for (const step of preview?.steps ?? []) {
    if (!OP_SYMBOL[step.op] || seen.has(step.urn)) continue;
    seen.add(step.urn);
    const parts = String(step.urn).split("::");
    const type = (parts[parts.length - 2] ?? "").split("$").pop();
    // What changed, from the same JSON: the property paths of an update (e.g. a container image).
    const paths = Object.keys(step.detailedDiff ?? {});
    const changed = paths.length > 0 ? paths : (step.diffReasons ?? []);
    const what =
      step.op === "update" && changed.length > 0
        ? ` (${changed.slice(0, 5).join(", ")}${changed.length > 5 ? ", …" : ""})`
        : "";
    const line = oneLine(`${OP_SYMBOL[step.op]} ${type} ${parts[parts.length - 1]}${what}`);
    lines.push(line.length > LINE_LIMIT ? `${line.slice(0, LINE_LIMIT)}…` : line);
  }
  return lines;
}

/**
 * The comment: marker, title, cost diff (already sized by `npm run cost -- --max-chars`), then the
 * changed resources in a collapsed block cut to whatever room is left under GitHub's limit.
 */
function buildBody({ stack, costMarkdown, preview, runUrl, sha, policyOutcome, previewError }) {
  const changes = previewError ? "**preview failed**" : changeSummaryLine(preview);
  const head = [
    marker(stack),
    `### Pulumi preview: \`${stack}\``,
    "",
    [
      `Commit ${sha ? codeSpan(String(sha).slice(0, 7)) : "(unknown)"}`,
      changes,
      ...(policyOutcome ? [`policy pack: ${policyOutcome}`] : []),
      `[full preview log](${runUrl})`,
    ].join(" · "),
    "",
    ...(previewError
      ? [
          `The preview failed, so there is no change list or cost diff (${codeSpan(previewError)}); see the [log](${runUrl}).`,
          "",
        ]
      : [costMarkdown.trim(), ""]),
  ].join("\n");
  const lines = changedResources(preview);
  if (lines.length === 0) return head.slice(0, COMMENT_LIMIT);
  const open = "<details>\n<summary>Changed resources</summary>\n\n";
  const close = "\n\n</details>\n";
  const fence = fenceFor(lines);
  const room = COMMENT_LIMIT - head.length - open.length - close.length - 2 * fence.length - 40;
  const kept = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  if (kept.length < lines.length) kept.push(`… ${lines.length - kept.length} more`);
  return `${head}${open}${codeBlock(kept, "diff", fence)}${close}`;
}

/** Edits the comment carrying `markerText` (written by a bot) or creates it; returns what it did. */
async function upsertComment({ github, owner, repo, issueNumber, markerText, body }) {
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  // At the very top: the body below it shows what the preview names, which could quote any marker.
  const existing = comments.find(
    (c) => c.user?.type === "Bot" && typeof c.body === "string" && c.body.startsWith(`${markerText}\n`),
  );
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: existing.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: "created", id: created.data.id };
}

/**
 * The preview's JSON, or why there is none: a failed `pulumi preview --json` leaves an empty file,
 * a partial document or diagnostics only, and the comment must still say so rather than not appear.
 */
function readPreview(previewFile) {
  if (!fs.existsSync(previewFile)) return { error: "no preview output was written" };
  if (fs.statSync(previewFile).size > PREVIEW_LIMIT)
    return { error: "the preview output is larger than 64 MiB" };
  const text = fs.readFileSync(previewFile, "utf8");
  if (text.trim() === "") return { error: "the preview output is empty" };
  let preview;
  try {
    preview = JSON.parse(text);
  } catch (error) {
    return { error: `the preview output is not JSON: ${error.message}` };
  }
  if (preview === null || typeof preview !== "object" || !Array.isArray(preview.steps)) {
    return { error: "the preview output has no steps" };
  }
  return { preview };
}

/** Entry point for actions/github-script: reads the preview and cost files the job wrote. */
async function postPreviewComment({ github, context, core, stack, previewFile, costFile, policyOutcome }) {
  const { preview, error: previewError } = readPreview(previewFile);
  const cost = fs.existsSync(costFile) ? fs.readFileSync(costFile, "utf8").trim() : "";
  const costMarkdown = cost || "_The cost diff did not run; see the job log._";
  if (previewError) core?.warning(`preview of ${stack}: ${previewError}`);
  const body = buildBody({
    stack,
    costMarkdown,
    preview,
    previewError,
    policyOutcome,
    sha: context.payload.pull_request?.head?.sha,
    runUrl: `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`,
  });
  const result = await upsertComment({
    github,
    owner: context.repo.owner,
    repo: context.repo.repo,
    issueNumber: context.issue.number,
    markerText: marker(stack),
    body,
  });
  core?.info(`preview comment for ${stack} ${result.action} (${result.id})`);
  return result;
}

module.exports = {
  COMMENT_LIMIT,
  codeBlock,
  codeSpan,
  marker,
  buildBody,
  readPreview,
  upsertComment,
  postPreviewComment,
  changeSummaryLine,
  changedResources,
};
