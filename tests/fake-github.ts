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

type Commit = { sha: string; tree: string; parents: string[]; message: string };
type Pull = { number: number; title: string; body: string; head: string; base: string; state: string };

/** What the fake repository holds; `next` numbers trees, commits and pull requests alike. */
interface RepositoryState {
  trees: Map<string, Record<string, string>>;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  pulls: Pull[];
  comments: { issue_number: number; body: string }[];
  calls: string[];
  next: number;
}

const notFound = () => Object.assign(new Error("Not Found"), { status: 404 });

/** Refs, commits and trees (`rest.git`). */
function fakeGitData(repo: RepositoryState) {
  return {
    getRef: async ({ ref }: { ref: string }) => {
      const sha = repo.refs.get(ref);
      if (!sha) throw notFound();
      return { data: { ref: `refs/${ref}`, object: { sha } } };
    },
    getCommit: async ({ commit_sha }: { commit_sha: string }) => {
      const commit = repo.commits.get(commit_sha);
      if (!commit) throw notFound();
      return { data: { sha: commit.sha, tree: { sha: commit.tree } } };
    },
    createTree: async ({
      base_tree,
      tree,
    }: {
      base_tree: string;
      tree: { path: string; content: string }[];
    }) => {
      repo.calls.push("createTree");
      const sha = `t${repo.next++}`;
      repo.trees.set(sha, {
        ...repo.trees.get(base_tree),
        ...Object.fromEntries(tree.map((entry) => [entry.path, entry.content])),
      });
      return { data: { sha } };
    },
    createCommit: async ({
      message,
      tree,
      parents,
    }: {
      message: string;
      tree: string;
      parents: string[];
    }) => {
      repo.calls.push("createCommit");
      const sha = `c${repo.next++}`;
      repo.commits.set(sha, { sha, tree, parents, message });
      return { data: { sha } };
    },
    updateRef: async ({ ref, sha, force }: { ref: string; sha: string; force?: boolean }) => {
      repo.calls.push("updateRef");
      if (!repo.refs.has(ref)) throw Object.assign(new Error("Reference does not exist"), { status: 422 });
      if (!force) throw new Error("the script must force the branch to the new commit");
      repo.refs.set(ref, sha);
      return { data: {} };
    },
    createRef: async ({ ref, sha }: { ref: string; sha: string }) => {
      repo.calls.push("createRef");
      repo.refs.set(ref.replace(/^refs\//, ""), sha);
      return { data: {} };
    },
  };
}

/** Pull requests (`rest.pulls`). */
function fakePulls(repo: RepositoryState) {
  return {
    list: async ({ head, base, state }: { head: string; base: string; state: string }) => ({
      data: repo.pulls.filter((p) => `o:${p.head}` === head && p.base === base && p.state === state),
    }),
    create: async ({
      title,
      body,
      head,
      base,
    }: {
      title: string;
      body: string;
      head: string;
      base: string;
    }) => {
      repo.calls.push("pulls.create");
      const pull = { number: repo.next++, title, body, head, base, state: "open" };
      repo.pulls.push(pull);
      return { data: pull };
    },
    update: async ({
      pull_number,
      ...change
    }: {
      pull_number: number;
      title?: string;
      body?: string;
      state?: string;
    }) => {
      repo.calls.push("pulls.update");
      const pull = repo.pulls.find((p) => p.number === pull_number);
      if (!pull) throw notFound();
      Object.assign(pull, change);
      return { data: pull };
    },
  };
}

/** Comments (`rest.issues`). */
function fakeIssues(repo: RepositoryState) {
  return {
    createComment: async (comment: { issue_number: number; body: string }) => {
      repo.calls.push("issues.createComment");
      repo.comments.push({ issue_number: comment.issue_number, body: comment.body });
      return { data: {} };
    },
  };
}

/**
 * Just enough of Octokit's git data and pull request API for rightsize-pr.cjs: refs, commits made from
 * trees, pull requests and their comments, in memory. A commit's files are the base tree's plus the tree's
 * entries; GitHub's errors are modelled where the script relies on them (updateRef of a missing branch: 422).
 */
export function fakeRepository(files: Record<string, string>) {
  const repo: RepositoryState = {
    trees: new Map([["t0", { ...files }]]),
    commits: new Map([["c0", { sha: "c0", tree: "t0", parents: [], message: "initial" }]]),
    refs: new Map([["heads/main", "c0"]]),
    pulls: [],
    comments: [],
    calls: [],
    next: 1,
  };
  const rest = { git: fakeGitData(repo), pulls: fakePulls(repo), issues: fakeIssues(repo) };
  const paginate = async (method: (args: never) => Promise<{ data: unknown[] }>, args: unknown) =>
    (await method(args as never)).data;
  /** The files of a branch's commit. */
  const filesOf = (branch: string) => {
    const sha = repo.refs.get(`heads/${branch}`);
    const commit = sha ? repo.commits.get(sha) : undefined;
    return commit ? repo.trees.get(commit.tree) : undefined;
  };
  const { refs, commits, pulls, comments, calls } = repo;
  return { github: { rest, paginate }, refs, commits, pulls, comments, calls, filesOf };
}
