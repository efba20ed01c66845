// Posts one pull-request comment per stack and edits it on every later run, found by a hidden
// marker, so a busy pull request keeps one current preview per stack instead of a trail of them.
// Loaded by actions/github-script in preview.yml (and by drift-summary.cjs); tests/workflow-scripts.test.ts drives it
// with a fake client. Everything comes from the one `pulumi preview --json` the job runs.
const fs = require("node:fs");

/** GitHub rejects comments longer than this. */
const COMMENT_LIMIT = 65_536;

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
  const parts = Object.entries(words)
    .filter(([op]) => summary[op])
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
    lines.push(`${OP_SYMBOL[step.op]} ${type} ${parts[parts.length - 1]}${what}`);
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
    `Commit ${sha ? `\`${String(sha).slice(0, 7)}\`` : "(unknown)"} · ${changes} · policy pack: ${policyOutcome} · [full preview log](${runUrl})`,
    "",
    ...(previewError
      ? [
          `The preview failed, so there is no change list or cost diff (${previewError}); see the [log](${runUrl}).`,
          "",
        ]
      : [costMarkdown.trim(), ""]),
  ].join("\n");
  const lines = changedResources(preview);
  if (lines.length === 0) return head.slice(0, COMMENT_LIMIT);
  const open = "<details>\n<summary>Changed resources</summary>\n\n```diff\n";
  const close = "\n```\n\n</details>\n";
  const room = COMMENT_LIMIT - head.length - open.length - close.length - 40;
  const kept = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  if (kept.length < lines.length) kept.push(`… ${lines.length - kept.length} more`);
  return `${head}${open}${kept.join("\n")}${close}`;
}

/** Edits the comment carrying `markerText` (written by a bot) or creates it; returns what it did. */
async function upsertComment({ github, owner, repo, issueNumber, markerText, body }) {
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = comments.find(
    (c) => c.user?.type === "Bot" && typeof c.body === "string" && c.body.includes(markerText),
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
  marker,
  buildBody,
  readPreview,
  upsertComment,
  postPreviewComment,
  changeSummaryLine,
  changedResources,
};
