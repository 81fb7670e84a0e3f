#!/usr/bin/env bash
# Set up the workflow replay (npm run workflows) on a fresh machine; what is already there is reused.
# - act: nektos/act built from the Go module proxy into .tools/bin (no Docker: jobs run on the host).
# - the actions the workflows pin, each `git archive`d at its pinned commit into $ACT_CACHE/actions/<owner>/<repo>@<sha>
#   (outside the repository: their code is never committed). Source order: $ACTION_MIRRORS/<owner>+<repo>/repo (a
#   bare mirror), else a clone from GitHub. A mirror that lacks a bundled dist/ file gets it rebuilt with the action's
#   own release script from its own lockfile (npm ci + ncc).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ACT_VERSION=v0.2.89
cache="${ACT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipeline-act}"
mirrors="${ACTION_MIRRORS:-/work/.mirror}"

if [[ ! -x "$root/.tools/bin/act" ]] || [[ "$("$root/.tools/bin/act" --version)" != "act version ${ACT_VERSION#v}" ]]; then
  echo "workflows setup: building nektos/act $ACT_VERSION (go install, a few minutes)"
  mkdir -p "$root/.tools/bin"
  GOBIN="$root/.tools/bin" go install "github.com/nektos/act@$ACT_VERSION"
fi

# The pinned actions, read from the workflows themselves: owner/repo@sha.
mapfile -t pins < <(grep -hoE 'uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+@[0-9a-f]{40}' "$root"/.github/workflows/*.yml |
  sed 's/^uses: //' | sort -u)

for pin in "${pins[@]}"; do
  repo="${pin%@*}" sha="${pin#*@}" dir="$cache/actions/$pin"
  [[ -f "$dir/.complete" ]] && continue
  rm -rf "$dir" && mkdir -p "$dir"
  git_dir="$mirrors/${repo/\//+}/repo"
  if [[ ! -d "$git_dir" ]]; then
    git_dir="$cache/clones/${repo/\//+}.git"
    [[ -d "$git_dir" ]] || git clone --bare "https://github.com/$repo.git" "$git_dir"
    git --git-dir="$git_dir" fetch -q origin "$sha" || true
  fi
  echo "workflows setup: $pin from $git_dir"
  # Only files whose content the mirror holds; a missing bundle is rebuilt below.
  missing=()
  while read -r _ _ obj path; do
    git --git-dir="$git_dir" cat-file -e "$obj" 2>/dev/null || missing+=("$path")
  done < <(git --git-dir="$git_dir" ls-tree -r "$sha")
  git --git-dir="$git_dir" archive "$sha" $(git --git-dir="$git_dir" ls-tree -r --name-only "$sha" |
    grep -vxF -f <(printf '%s\n' "${missing[@]}" "") ) | tar -x -C "$dir"
  if ((${#missing[@]} > 0)); then
    echo "workflows setup: $pin lacks ${missing[*]}; rebuilding with its release script"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null && npm run release >/dev/null 2>&1 || true)
    for f in "${missing[@]}"; do [[ -f "$dir/$f" ]] || { echo "workflows setup: could not rebuild $f of $pin" >&2; exit 1; }; done
    rm -rf "$dir/node_modules"
  fi
  touch "$dir/.complete"
done
echo "workflows setup: act $("$root/.tools/bin/act" --version | cut -d' ' -f3), actions in $cache/actions"
