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
