/** Just enough of Octokit for the workflow scripts (.github/scripts/*.cjs): state in memory, calls recorded. */

export function fakeGitHub() {
  const comments: { id: number; body: string; user: { type: string } }[] = [];
  const issues: { number: number; title: string; body: string; state: string; labels: string[] }[] = [];
  const calls: string[] = [];
  const rest = {
    issues: {
      listComments: async () => ({ data: comments }),
      createComment: async ({ body }: { body: string }) => {
        calls.push("createComment");
        const comment = { id: comments.length + 100, body, user: { type: "Bot" } };
        comments.push(comment);
        return { data: comment };
      },
      updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
        calls.push("updateComment");
        const comment = comments.find((c) => c.id === comment_id);
        if (!comment) throw new Error("no such comment");
        comment.body = body;
        return { data: comment };
      },
      listForRepo: async ({ labels }: { labels: string }) => ({
        data: issues.filter((i) => i.state === "open" && i.labels.includes(labels)),
      }),
      createLabel: async () => {
        calls.push("createLabel");
        return { data: {} };
      },
      create: async ({ title, body, labels }: { title: string; body: string; labels: string[] }) => {
        calls.push("create");
        const issue = { number: issues.length + 1, title, body, labels, state: "open" };
        issues.push(issue);
        return { data: issue };
      },
      update: async ({
        issue_number,
        body,
        state,
      }: {
        issue_number: number;
        body?: string;
        state?: string;
      }) => {
        calls.push("update");
        const issue = issues.find((i) => i.number === issue_number);
        if (!issue) throw new Error("no such issue");
        if (body !== undefined) issue.body = body;
        if (state !== undefined) issue.state = state;
        return { data: issue };
      },
    },
  };
  const paginate = async (method: (args: never) => Promise<{ data: unknown[] }>, args: unknown) =>
    (await method(args as never)).data;
  return { github: { rest, paginate }, comments, issues, calls };
}

export interface Run {
  id: number;
  workflow: string;
  status: string;
  conclusion?: string;
  created_at?: string;
  head_sha?: string;
}

/** Just enough of Octokit's Actions and branches API for deploy-queue.cjs: runs in memory. */
export function fakeActions() {
  const state = { head: "c0", runs: [] as Run[] };
  const rest = {
    actions: {
      listWorkflowRuns: async (args: {
        workflow_id: string;
        status?: string;
        head_sha?: string;
        created?: string;
      }) => ({
        data: state.runs.filter(
          (r) =>
            r.workflow === args.workflow_id &&
            (args.status === undefined || r.status === args.status) &&
            (args.head_sha === undefined || r.head_sha === args.head_sha) &&
            // GitHub's `created: >=<date>` filter, the only form deploy-queue.cjs uses.
            (args.created === undefined ||
              Date.parse(r.created_at ?? "") >= Date.parse(args.created.replace(/^>=/, ""))),
        ),
      }),
      getWorkflowRun: async (args: { run_id: number }) => {
        const run = state.runs.find((r) => r.id === args.run_id);
        if (!run) throw Object.assign(new Error("Not Found"), { status: 404 });
        return { data: run };
      },
    },
    repos: { getBranch: async () => ({ data: { commit: { sha: state.head } } }) },
  };
  const paginate = async (method: (args: never) => Promise<{ data: unknown[] }>, args: unknown) =>
    (await method(args as never)).data;
  return Object.assign(state, { github: { rest, paginate } });
}

/**
 * Just enough of Octokit for cost-approval.cjs: one pull request's labels and issue events, the repository
 * activity of its head branch (GitHub's record of pushes, newest first when asked `direction: desc`) and the
 * collaborators' roles. `at(minute)` is a timestamp on one test day.
 */
export function fakePullRequest(headRef = "feature") {
  const state = {
    labels: [] as string[],
    events: [] as { event: string; label: { name: string }; actor: { login: string }; created_at: string }[],
    activities: [] as {
      activity_type: string;
      ref: string;
      before: string;
      after: string;
      timestamp: string;
    }[],
    roles: {} as Record<string, string>,
  };
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute)).toISOString();
  const label = (name: string, login: string, minute: number) => {
    state.labels.push(name);
    state.events.push({ event: "labeled", label: { name }, actor: { login }, created_at: at(minute) });
  };
  const unlabel = (name: string, login: string, minute: number) => {
    state.labels = state.labels.filter((l) => l !== name);
    state.events.push({ event: "unlabeled", label: { name }, actor: { login }, created_at: at(minute) });
  };
  /** A push (or force push) of `sha` to the head branch at `minute`. */
  const push = (sha: string, minute: number, type = "push") => {
    const before = state.activities.at(-1)?.after ?? "0".repeat(40);
    state.activities.push({
      activity_type: type,
      ref: `refs/heads/${headRef}`,
      before,
      after: sha,
      timestamp: at(minute),
    });
  };
  const rest = {
    issues: {
      listLabelsOnIssue: async () => ({ data: state.labels.map((name) => ({ name })) }),
      listEvents: async () => ({ data: [...state.events] }),
    },
    repos: {
      listActivities: async (args: { ref?: string; direction?: string; per_page?: number }) => {
        const matching = state.activities.filter((a) => args.ref === undefined || a.ref === args.ref);
        const ordered = args.direction === "asc" ? matching : [...matching].reverse();
        return { data: ordered.slice(0, args.per_page ?? 30) };
      },
      getCollaboratorPermissionLevel: async ({ username }: { username: string }) => ({
        data: {
          // GitHub's `permission` folds maintain into write; `role_name` keeps it.
          permission: state.roles[username] === "maintain" ? "write" : (state.roles[username] ?? "none"),
          role_name: state.roles[username] ?? "none",
        },
      }),
    },
  };
  const paginate = async (method: (args: never) => Promise<{ data: unknown[] }>, args: unknown) =>
    (await method(args as never)).data;
  return Object.assign(state, { github: { rest, paginate }, label, unlabel, push, headRef });
}
