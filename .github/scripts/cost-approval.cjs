// Who approved a pull request's cost: the person who last added the `cost-approved` label, if that person
// may approve (admin or maintain on this repository; write is not enough, so an author with push access
// cannot approve their own change). Loaded by actions/github-script in the pulumi-cost action
// (.github/actions/pulumi-cost), whose approval-label input can name another label; tests drive it with a
// fake client (tests/workflow-scripts.test.ts).

const COST_APPROVED_LABEL = "cost-approved";
const APPROVING_ROLES = ["admin", "maintain"];

/**
 * Returns `{ login }` when the label is on the pull request and its latest adder holds an approving role,
 * else `{ login: undefined, reason }`. Uses the issue events (who added the label) and the collaborator's
 * role (`role_name`: admin, maintain, write, triage, read).
 */
async function findCostApprover({ github, owner, repo, issueNumber, label = COST_APPROVED_LABEL }) {
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
  const added = events.filter((e) => e.event === "labeled" && e.label?.name === label).pop();
  const login = added?.actor?.login;
  if (!login) return { login: undefined, reason: `nobody is recorded adding ${label}` };
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
