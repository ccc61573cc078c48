#!/usr/bin/env bash
# Fails when production code paths (src/main of any module) contain development URLs:
# http(s)://localhost, ws://localhost, 127.0.0.1, 0.0.0.0 or any plain ws:// URL.
# Tests (src/test) may use 127.0.0.1. Modules that exist to run on one machine or only in tests (the launcher, the
# benchmarks and test-support) are not production code paths and are skipped; override the list with
# DEV_URL_GUARD_EXCLUDE="dir1 dir2". Usage: .github/scripts/dev-url-guard.sh [repo-root]
set -euo pipefail

root="${1:-$(git rev-parse --show-toplevel 2>/dev/null || pwd)}"
cd "$root"

pattern='(https?|wss?)://(localhost|127\.0\.0\.1|0\.0\.0\.0)([:/"'"'"'[:space:]]|$)|ws://[A-Za-z0-9._-]'
findings=0
read -r -a excluded <<< "${DEV_URL_GUARD_EXCLUDE:-launcher benchmarks test-support}"
prune=()
for dir in "${excluded[@]}"; do
  prune+=(-path "./${dir}" -prune -o)
done

while IFS= read -r -d '' file; do
  while IFS= read -r hit; do
    printf '%s:%s\n' "$file" "$hit"
    findings=$((findings + 1))
  done < <(grep -nE "$pattern" "$file" | grep -v 'dev-url-guard: allow' || true)
done < <(find . "${prune[@]}" -path ./node_modules -prune -o -path '*/target' -prune -o -path ./.git -prune -o \
  -type f -path '*/src/main/*' \
  \( -name '*.java' -o -name '*.kt' -o -name '*.properties' -o -name '*.yml' -o -name '*.yaml' \
     -o -name '*.json' -o -name '*.xml' -o -name '*.js' -o -name '*.ts' -o -name '*.html' \) -print0)

if [ "$findings" -gt 0 ]; then
  echo "dev-url-guard: $findings development URL(s) in production code paths (src/main)." >&2
  echo "Use configuration (PUBLIC_BASE_URL, REALTIME_WS_URL, ...) or wss://; mark a deliberate default with 'dev-url-guard: allow'." >&2
  exit 1
fi
echo "dev-url-guard: no development URLs in src/main."
