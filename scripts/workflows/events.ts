/**
 * Event payloads as GitHub's webhook documentation gives them, for the commits of each hop of the chain. Pure.
 * A workflow started by `workflow_run` runs on the default branch: its github.sha / github.ref are the default branch's
 * HEAD, and so are the head_sha / head_branch its own run carries to the next hop.
 */

export interface Repo {
  owner: string;
  name: string;
  defaultBranch: string;
}

export interface Commit {
  sha: string;
  message: string;
}

function repository(r: Repo) {
  return {
    id: 1,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner, name: r.owner },
    default_branch: r.defaultBranch,
    master_branch: r.defaultBranch,
    private: true,
    html_url: `https://github.com/${r.owner}/${r.name}`,
  };
}

const sender = { login: "replay-bot", type: "User" };

/** `push`: ref, before, after, the commits and head_commit. */
export function pushEvent(r: Repo, branch: string, before: string, commit: Commit) {
  const head = {
    id: commit.sha,
    tree_id: commit.sha,
    message: commit.message,
    timestamp: new Date().toISOString(),
    author: { name: "Replay", email: "replay@example.com" },
    committer: { name: "Replay", email: "replay@example.com" },
  };
  return {
    ref: `refs/heads/${branch}`,
    before,
    after: commit.sha,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${r.owner}/${r.name}/compare/${before.slice(0, 12)}...${commit.sha.slice(0, 12)}`,
    commits: [head],
    head_commit: head,
    repository: repository(r),
    pusher: { name: "replay-bot", email: "replay@example.com" },
    sender,
  };
}

/** A finished run of `workflow`, as the `workflow_run` event's `workflow_run` object carries it. */
export interface FinishedRun {
  id: number;
  workflow: string;
  path: string;
  /** The event that started that run: push for Test Suite, workflow_run for Deploy Staging. */
  event: string;
  headBranch: string;
  headSha: string;
  conclusion: "success" | "failure" | "cancelled" | "skipped";
}

/** `workflow_run` (action completed): the triggering run's head_branch / head_sha / event / conclusion. */
export function workflowRunEvent(r: Repo, run: FinishedRun) {
  return {
    action: "completed",
    workflow_run: {
      id: run.id,
      name: run.workflow,
      path: run.path,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      event: run.event,
      status: "completed",
      conclusion: run.conclusion,
      run_number: run.id,
      run_attempt: 1,
      head_commit: { id: run.headSha },
      repository: repository(r),
      head_repository: repository(r),
    },
    workflow: { id: run.id, name: run.workflow, path: run.path, state: "active" },
    repository: repository(r),
    sender,
  };
}

/** `workflow_dispatch`: the ref it was dispatched on and its inputs (strings, as the API sends them). */
export function dispatchEvent(r: Repo, branch: string, workflowPath: string, inputs: Record<string, string>) {
  return { inputs, ref: `refs/heads/${branch}`, repository: repository(r), sender, workflow: workflowPath };
}
