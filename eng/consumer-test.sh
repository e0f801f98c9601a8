#!/usr/bin/env bash
# The packages as a team gets them: tests/Consumer (a minimal API and its xUnit v3 test project, outside the solution)
# is copied out of the repository, restores PerfRegression.* only from the folder of freshly packed packages, and
# runs its performance tests under each test platform: VSTest (dotnet test --filter Category=Performance) and
# Microsoft.Testing.Platform (global.json names it; the same --filter, and xUnit's --filter-trait "Category=Performance").
# A package that works only from project references, or a filter that selects nothing, fails here.
#   usage: eng/consumer-test.sh <folder with the packed .nupkg files> [vstest|mtp ...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
feed=$(readlink -f "${1:?usage: eng/consumer-test.sh <packages folder> [vstest|mtp ...]}")
shift
platforms=("$@"); [ ${#platforms[@]} -gt 0 ] || platforms=(vstest mtp)

core=$(ls "$feed"/PerfRegression.Core.*.nupkg 2>/dev/null | grep -v '\.snupkg$' || true)
if [ "$(echo "$core" | grep -c .)" -ne 1 ]; then
  echo "Expected one PerfRegression.Core package in $feed, found: ${core:-none}. Pack into an empty folder: dotnet pack -c Release -o <folder>." >&2
  exit 1
fi
version=$(basename "$core" .nupkg); version=${version#PerfRegression.Core.}
sdk=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$repo/global.json" | head -1)
work=$(mktemp -d)
trap '[ -n "${KEEP_CONSUMER:-}" ] || rm -rf "$work"' EXIT
echo "consumer: PerfRegression $version from $feed"

# Runs the copy's performance tests in baseline mode $1 under $platform, in $dir.
run_performance_tests() {
  local mode=$1
  rm -rf "$dir/artifacts/perf"
  if [ "$platform" = mtp ]; then
    # xUnit's runner for Microsoft.Testing.Platform takes the VSTest filter syntax and its own trait filter: the
    # recording run uses the one, the comparing run the other.
    local filter=(--filter Category=Performance)
    [ "$mode" = update ] || filter=(--filter-trait "Category=Performance")
    (cd "$dir" && unset PERF_RESULTS_DIR PERF_BASELINE_DIR && PERF_BASELINE=$mode CONSUMER_PERFORMANCE_ONLY=1 dotnet test --solution Consumer.sln --no-build "${filter[@]}")
  else
    (cd "$dir" && unset PERF_RESULTS_DIR PERF_BASELINE_DIR && PERF_BASELINE=$mode CONSUMER_PERFORMANCE_ONLY=1 dotnet test Consumer.sln --no-build --filter Category=Performance)
  fi
  # Each performance test writes its results file; a filter that selected nothing would pass with none.
  local ran
  ran=$(ls "$dir"/artifacts/perf/tests/*.json 2>/dev/null | wc -l)
  if [ "$ran" -ne 3 ]; then
    echo "consumer ($platform): $ran performance tests wrote results, 3 expected (ItemsPerformanceTests, HashingTests): the Performance filter did not select them." >&2
    exit 1
  fi
}
for platform in "${platforms[@]}"; do
  dir="$work/$platform"
  cp -r "$repo/tests/Consumer" "$dir"
  rm -rf "$dir"/*/bin "$dir"/*/obj "$dir/artifacts" "$dir/baselines"
  # PerfRegression.* come from the packed folder only; everything else from nuget.org. The machine's package cache
  # serves as a read-only fallback (it never holds PerfRegression packages: every step that restores them uses a
  # package folder of its own), so a stale copy of this version cannot stand in for the fresh one.
  cat > "$dir/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="packed"><package pattern="PerfRegression.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <add key="machine" value="${NUGET_PACKAGES:-$HOME/.nuget/packages}" />
  </fallbackPackageFolders>
</configuration>
CONFIG
  if [ "$platform" = mtp ]; then
    printf '{\n  "sdk": { "version": "%s", "rollForward": "latestFeature" },\n  "test": { "runner": "Microsoft.Testing.Platform" }\n}\n' "$sdk" > "$dir/global.json"
  else
    printf '{\n  "sdk": { "version": "%s", "rollForward": "latestFeature" }\n}\n' "$sdk" > "$dir/global.json"
  fi

  echo "== consumer ($platform): restore and build"
  (cd "$dir" && NUGET_PACKAGES="$work/packages" dotnet build Consumer.sln -p:PerfRegressionVersion="$version" -p:TestPlatform="$platform" -v q --nologo)
  # First run: the gate records a baseline per test, as asked (update).
  echo "== consumer ($platform): performance tests, recording their baselines"
  run_performance_tests update
  recorded=$(find "$dir/baselines" -name '*.json' ! -name '*.received.json' 2>/dev/null | wc -l)
  if [ "$recorded" -ne 3 ]; then
    echo "consumer ($platform): the gate recorded $recorded baselines, 3 expected under $dir/baselines." >&2
    exit 1
  fi
  # Second run, a new process, as CI runs it (strict: a missing baseline fails): each test is compared with the
  # baseline the first run recorded.
  echo "== consumer ($platform): performance tests, compared with those baselines"
  run_performance_tests strict
  compared=$(grep -cE '\| (p95|time/op) vs baseline \|' "$dir/artifacts/perf/summary.md" || true)
  if [ "$compared" -ne 3 ]; then
    echo "consumer ($platform): summary.md shows $compared latency or time comparisons with a baseline, 3 expected." >&2
    exit 1
  fi
  echo "consumer ($platform): 3 performance tests recorded, then passed against their baselines; the feature test was left out"
done
