// Who approved a pull request's cost: the person who added the `cost-approved` label, if that person may
// approve (admin or maintain on this repository; write is not enough, so an author with push access cannot
// approve their own change) and added it after the head commit was pushed. An approval covers what its
// approver could see: a later push (a bigger increase, or a force push back to an older commit) needs a new
// one. Loaded by actions/github-script in the pulumi-cost action (.github/actions/pulumi-cost), whose
// approval-label input can name another label; tests drive it with a fake client
// (tests/workflow-scripts.cost-approval.test.ts, tests/fake-github.ts).
//
// When the head was pushed comes from the repository activity API (GitHub's record of pushes, force pushes
// and branch creations, with the time it received them), never from commit dates, which the pusher writes,
// nor from the preview comment, which the pull request's own code could edit.

const COST_APPROVED_LABEL = "cost-approved";
const APPROVING_ROLES = ["admin", "maintain"];
/** Activities that move a branch to a new head commit. */
const BRANCH_MOVES = ["push", "force_push", "branch_creation"];

const short = (sha) => String(sha).slice(0, 7);

/**
 * When the pull request's head branch was last moved, if that move put `headSha` there; undefined when
 * GitHub records no such move (then nothing can be shown to come after it, and no label counts).
 */
async function headPushedAt({ github, owner, repo, headRef, headSha }) {
  const { data } = await github.rest.repos.listActivities({
    owner,
    repo,
    ref: `refs/heads/${headRef}`,
    direction: "desc",
    per_page: 20,
  });
  const moves = data
    .filter((a) => BRANCH_MOVES.includes(a.activity_type))
    .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  const last = moves[0];
  return last && last.after === headSha ? last.timestamp : undefined;
}

/** The latest `labeled` event of `label`, if no `unlabeled` came after it. */
function latestLabeling(events, label) {
  const ofLabel = events
    .filter((e) => (e.event === "labeled" || e.event === "unlabeled") && e.label?.name === label)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const last = ofLabel[ofLabel.length - 1];
  return last?.event === "labeled" ? last : undefined;
}

/**
 * Returns `{ login }` when the label is on the pull request, was added after `head.sha` was pushed to
 * `head.ref`, and its adder holds an approving role; else `{ login: undefined, reason }`. Uses the labels,
 * the issue events (who added the label, when), the repository activity (when the head was pushed) and the
 * collaborator's role (`role_name`: admin, maintain, write, triage, read).
 */
async function findCostApprover({ github, owner, repo, issueNumber, head, label = COST_APPROVED_LABEL }) {
  const labels = await github.paginate(github.rest.issues.listLabelsOnIssue, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  if (!labels.some((l) => l.name === label)) return { login: undefined, reason: `no ${label} label` };
  const events = await github.paginate(github.rest.issues.listEvents, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const added = latestLabeling(events, label);
  const login = added?.actor?.login;
  if (!login) return { login: undefined, reason: `nobody is recorded adding ${label}` };
  const pushedAt = await headPushedAt({ github, owner, repo, headRef: head.ref, headSha: head.sha });
  if (!pushedAt) {
    return {
      login: undefined,
      reason: `GitHub records no push of ${short(head.sha)} to ${head.ref}, so ${label} cannot be shown to come after it`,
    };
  }
  if (!(Date.parse(added.created_at) > Date.parse(pushedAt))) {
    return {
      login: undefined,
      reason: `${login} added ${label} at ${added.created_at}, before ${short(head.sha)} was pushed at ${pushedAt}: remove the label and add it again to approve this commit`,
    };
  }
  const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username: login });
  const role = data.role_name ?? data.permission;
  if (!APPROVING_ROLES.includes(role)) {
    return {
      login: undefined,
      reason: `${login} added ${label} but has ${role}, not ${APPROVING_ROLES.join(" or ")}`,
    };
  }
  return { login };
}

module.exports = { COST_APPROVED_LABEL, APPROVING_ROLES, findCostApprover };
