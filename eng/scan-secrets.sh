#!/usr/bin/env bash
# Fails when a secret appears in a run's artifacts: JWTs (session tokens), Authorization headers and bearer
# tokens, cookies, passwords in connection strings, JSON bodies or URLs. CI (.ci/run) runs it after the tests
# over artifacts/perf (results JSON, summary.md), baselines/ (received files) and the captured test logs.
#   eng/scan-secrets.sh PATH...     files or folders (searched recursively; binary files skipped)
# Prints one line per hit, file:line and the kind, with the value cut to its first characters (the report
# must not leak what it found). Exit 0: clean; 1: secrets found; 2: no path given or a path does not exist.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "Usage: eng/scan-secrets.sh PATH... (the files or folders to search, e.g. artifacts/perf baselines)" >&2
  exit 2
fi
for path in "$@"; do
  if [ ! -e "$path" ]; then
    echo "No file or folder at $path, so it cannot be searched for secrets. Pass paths that exist (a run writes artifacts/perf)." >&2
    exit 2
  fi
done

# kind|extended regular expression (matched case-insensitively; quotes may be JSON-escaped, as in a results file's text).
# A value that is masked (***, <redacted>, {placeholder}, ...) or empty is not a secret.
patterns=(
  "JWT|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
  "Authorization header|authorization[\"']?[[:space:]]*[:=][[:space:]]*[\"']?(bearer|basic|digest|negotiate)[[:space:]]+[A-Za-z0-9._~+/-]{8,}"
  "bearer token|bearer[[:space:]]+[A-Za-z0-9._~+/-]{20,}"
  "cookie|(set-)?cookie[\"']?[[:space:]]*[:=][[:space:]]*[\"']?[A-Za-z0-9_.-]+=[^;[:space:]\"'*<{][^;[:space:]\"']{7,}"
  "session token|[A-Za-z0-9_]*(session|token)[A-Za-z0-9_]*=[A-Za-z0-9._~+/-]{20,}"
  "connection-string password|(^|[;[:space:]\"'])(password|pwd)[[:space:]]*=[[:space:]]*[^;[:space:]\"'*<{.][^;[:space:]\"']*"
  'password in JSON|\\?"(password|pwd|secret|signingkey)\\?"[[:space:]]*:[[:space:]]*\\?"[^"\\*<{][^"\\]*'
  "credentials in a URL|[a-z][a-z0-9+.-]*://[^/[:space:]:@\"']+:[^/[:space:]@\"'*<{][^/[:space:]@\"']*@"
)

hits=0
for entry in "${patterns[@]}"; do
  kind=${entry%%|*}
  regex=${entry#*|}
  while IFS= read -r hit; do
    [ -n "$hit" ] || continue
    # grep -o prints file:line:match; keep 6 characters of the match so the report names it without leaking it.
    location=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; match=${rest#*:}
    echo "$location:$line: $kind (${match:0:6}…)"
    hits=$((hits + 1))
  done < <(grep -HrnoIiE -- "$regex" "$@" 2>/dev/null || true)
done

if [ "$hits" -gt 0 ]; then
  echo "$hits secret(s) found in: $*. A test, the library or the app wrote them; find the writer (the line above), redact it there, and rerun." >&2
  exit 1
fi
echo "No secrets in: $*."
