// Keeps exactly one open issue about infrastructure drift: opened on the first drift, its body
// replaced on later drift, and closed with a note once every stack previews clean again.
// Loaded by actions/github-script in drift.yml; tests/workflow-scripts.drift.test.ts drives it with a fake client.

const DRIFT_LABEL = "drift";
const DRIFT_TITLE = "Infrastructure drift detected";

function issueBody(drifted, runUrl) {
  return [
    "The scheduled drift check (`pulumi preview --refresh --expect-no-changes`) found changes the code does not explain.",
    "",
    ...drifted.flatMap((d) => [`### Stack \`${d.stack}\``, "", d.summary.trim(), ""]),
    `Run: ${runUrl}`,
    "",
    "Either bring the code in line with the change (and merge), or run `pulumi up` for the stack to put the cloud back.",
    "This issue is updated by every drift run and closed when all stacks are clean again.",
  ].join("\n");
}

async function findOpenDriftIssue({ github, owner, repo }) {
  const issues = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    labels: DRIFT_LABEL,
    per_page: 100,
  });
  return issues.find((i) => i.title === DRIFT_TITLE && !i.pull_request);
}

/**
 * `drifted` lists the stacks whose check failed, each with a Markdown summary; an empty list means
 * every stack is clean.
 */
async function reportDrift({ github, owner, repo, drifted, runUrl }) {
  const existing = await findOpenDriftIssue({ github, owner, repo });
  if (drifted.length === 0) {
    if (!existing) return { action: "none" };
    await github.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      body: `No drift in any stack as of ${runUrl}. Closing.`,
    });
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, state: "closed" });
    return { action: "closed", number: existing.number };
  }
  const body = issueBody(drifted, runUrl);
  if (existing) {
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, body });
    return { action: "updated", number: existing.number };
  }
  try {
    await github.rest.issues.createLabel({ owner, repo, name: DRIFT_LABEL, color: "d93f0b" });
  } catch (error) {
    if (error?.status !== 422) throw error; // 422: the label exists already
  }
  const created = await github.rest.issues.create({
    owner,
    repo,
    title: DRIFT_TITLE,
    body,
    labels: [DRIFT_LABEL],
  });
  return { action: "created", number: created.data.number };
}

module.exports = { DRIFT_LABEL, DRIFT_TITLE, reportDrift, issueBody };
