// Keeps a merged change from being skipped silently. GitHub keeps one pending run per concurrency group and
// a newer one replaces (cancels) it; deploys and drift checks of a stack share the group `pulumi-<stack>`
// (they must not overlap: a check mid-deploy reports the deploy's half-applied changes as drift). So:
// - the drift check first looks whether a deploy is queued or running and, if so, skips this time
//   (`deployInFlight`), so it never replaces a pending deploy;
// - a deploy job cancelled while pending re-queues a deploy of main's head when its run is the newest deploy
//   run (`shouldRequeue`): a newer deploy run already covers main's head, and cannot loop with this one.
// - every deploy deploys main's head once CI has passed for it (`commitToDeploy`), so runs finishing out of
//   order never roll back to an older commit.
// Loaded by actions/github-script in drift.yml and deploy.yml; tests/workflow-scripts.deploy-queue.test.ts drives it with a fake client.

const DEPLOY_WORKFLOW = "deploy.yml";
const CI_WORKFLOW = "ci.yml";
const DRIFT_WORKFLOW = "drift.yml";
const IN_FLIGHT = ["queued", "in_progress", "waiting", "requested", "pending"];

async function runsOf({ github, owner, repo, workflow, ...filters }) {
  return github.paginate(github.rest.actions.listWorkflowRuns, {
    owner,
    repo,
    workflow_id: workflow,
    per_page: 100,
    ...filters,
  });
}

/** The deploy runs that are queued, waiting or running (excluding `exceptRunId`). */
async function deployInFlight({ github, owner, repo, exceptRunId }) {
  const found = [];
  for (const status of IN_FLIGHT) {
    const runs = await runsOf({ github, owner, repo, workflow: DEPLOY_WORKFLOW, status });
    found.push(...runs.filter((r) => r.id !== exceptRunId));
  }
  return found;
}

/**
 * Whether a cancelled deploy run should re-queue a deploy: only when a drift check was queued after it (the
 * only run that can have replaced it while it waited, the gate's race) and no deploy run was created after
 * it (a newer deploy covers main's head and cannot ping-pong with this one). A deploy someone cancelled by
 * hand has no such drift run and stays cancelled.
 */
async function shouldRequeue({ github, owner, repo, runId }) {
  const { data: self } = await github.rest.actions.getWorkflowRun({ owner, repo, run_id: runId });
  const since = { created: `>=${self.created_at}` };
  const after = (runs) =>
    runs.filter((r) => r.id !== runId && Date.parse(r.created_at) > Date.parse(self.created_at));
  const newer = after(await runsOf({ github, owner, repo, workflow: DEPLOY_WORKFLOW, ...since }));
  const drift = after(await runsOf({ github, owner, repo, workflow: DRIFT_WORKFLOW, ...since }));
  return { requeue: newer.length === 0 && drift.length > 0, newer: newer.map((r) => r.id) };
}

/**
 * The commit a deploy run deploys: main's head, if CI passed for it. When CI has not (yet) passed for the
 * head, `sha` is undefined: the head's own CI completion starts the deploy that covers it.
 */
async function commitToDeploy({ github, owner, repo, branch = "main" }) {
  const { data } = await github.rest.repos.getBranch({ owner, repo, branch });
  const head = data.commit.sha;
  const ci = await runsOf({ github, owner, repo, workflow: CI_WORKFLOW, head_sha: head, event: "push" });
  const passed = ci.some((r) => r.conclusion === "success");
  return passed ? { sha: head } : { sha: undefined, reason: `CI has not passed for ${head} yet` };
}

module.exports = { DEPLOY_WORKFLOW, CI_WORKFLOW, deployInFlight, shouldRequeue, commitToDeploy };
