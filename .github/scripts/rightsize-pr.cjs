// Keeps exactly one open pull request with the weekly right-sizing: its branch is rebuilt on the base
// branch with the catalogue's new requests (a commit made through the API, so nothing is pushed from the
// runner), its body shows the table, and it is closed with a note when nothing is left to change.
// Loaded by actions/github-script in rightsize.yml with a GitHub App's token: a pull request opened or
// pushed with GITHUB_TOKEN would start no workflow, and this one must run CI and Preview, whose comment
// prices the change. tests/rightsize-workflow.test.ts drives it with a fake client.

const RIGHTSIZE_BRANCH = "rightsize/requests";
const RIGHTSIZE_TITLE = "Right-size the catalogue's requests";
/** The only file this script ever commits. */
const CATALOGUE_PATH = "catalogue/services.ts";
/** GitHub refuses a pull request body over 65,536 characters. */
const BODY_LIMIT = 60000;

function bodyOf(table, runUrl) {
  const footer = [
    "",
    "---",
    `Opened by the weekly right-sizing (\`.github/workflows/rightsize.yml\`, run ${runUrl}): \`npm run rightsize -- --write\` against the cluster's Prometheus.`,
    "This pull request's own Preview comment prices the change at node level; merge it like any other, or close it (the next run opens it again only if the recommendation still stands).",
  ].join("\n");
  const room = BODY_LIMIT - footer.length;
  const text = table.length > room ? `${table.slice(0, room - 40)}\n\n… (table cut; see the run)` : table;
  return `${text}${footer}`;
}

async function openPullRequest({ github, owner, repo, base }) {
  const open = await github.paginate(github.rest.pulls.list, {
    owner,
    repo,
    state: "open",
    head: `${owner}:${RIGHTSIZE_BRANCH}`,
    base,
    per_page: 100,
  });
  return open[0];
}

/** The branch at a new commit on top of `base` that changes the catalogue alone. */
async function commitCatalogue({ github, owner, repo, base, catalogue, message }) {
  const { data: ref } = await github.rest.git.getRef({ owner, repo, ref: `heads/${base}` });
  const { data: baseCommit } = await github.rest.git.getCommit({ owner, repo, commit_sha: ref.object.sha });
  const { data: tree } = await github.rest.git.createTree({
    owner,
    repo,
    base_tree: baseCommit.tree.sha,
    tree: [{ path: CATALOGUE_PATH, mode: "100644", type: "blob", content: catalogue }],
  });
  const { data: commit } = await github.rest.git.createCommit({
    owner,
    repo,
    message,
    tree: tree.sha,
    parents: [ref.object.sha],
  });
  try {
    await github.rest.git.updateRef({
      owner,
      repo,
      ref: `heads/${RIGHTSIZE_BRANCH}`,
      sha: commit.sha,
      force: true,
    });
  } catch (error) {
    // 422: the branch does not exist yet.
    if (error?.status !== 422 && error?.status !== 404) throw error;
    await github.rest.git.createRef({ owner, repo, ref: `refs/heads/${RIGHTSIZE_BRANCH}`, sha: commit.sha });
  }
  return commit.sha;
}

/**
 * `catalogue`: the new text of catalogue/services.ts, or undefined when nothing is to change; `table`: the
 * Markdown of `npm run rightsize`.
 */
async function proposeRightsizing({ github, owner, repo, base, catalogue, table, runUrl }) {
  const existing = await openPullRequest({ github, owner, repo, base });
  if (catalogue === undefined) {
    if (!existing) return { action: "none" };
    await github.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      body: `Nothing left to change as of ${runUrl}: every request is within the recommendation. Closing.`,
    });
    await github.rest.pulls.update({ owner, repo, pull_number: existing.number, state: "closed" });
    return { action: "closed", number: existing.number };
  }
  const sha = await commitCatalogue({
    github,
    owner,
    repo,
    base,
    catalogue,
    message: `catalogue: right-size the requests (weekly right-sizing, ${runUrl})`,
  });
  const body = bodyOf(table, runUrl);
  if (existing) {
    await github.rest.pulls.update({
      owner,
      repo,
      pull_number: existing.number,
      title: RIGHTSIZE_TITLE,
      body,
    });
    return { action: "updated", number: existing.number, sha };
  }
  const { data: created } = await github.rest.pulls.create({
    owner,
    repo,
    title: RIGHTSIZE_TITLE,
    head: RIGHTSIZE_BRANCH,
    base,
    body,
  });
  return { action: "created", number: created.number, sha };
}

module.exports = {
  BODY_LIMIT,
  CATALOGUE_PATH,
  RIGHTSIZE_BRANCH,
  RIGHTSIZE_TITLE,
  bodyOf,
  proposeRightsizing,
};
