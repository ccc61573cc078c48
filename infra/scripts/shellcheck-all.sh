#!/usr/bin/env bash
# Runs shellcheck on every shell script of the repository: *.sh and bin/sipai (the Maven wrapper mvnw
# is generated and excluded). Exits 0 with a clear message when shellcheck is not installed
# (install it: apt-get install -y shellcheck). Usage: infra/scripts/shellcheck-all.sh [repo-root]
set -euo pipefail

root="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$root"

if ! command -v shellcheck > /dev/null 2>&1; then
  echo "shellcheck-all: SKIPPED, shellcheck is not installed (apt-get install -y shellcheck)"
  exit 0
fi

scripts=()
while IFS= read -r -d '' file; do
  scripts+=("$file")
done < <(find . \( -path ./.git -o -path ./infra/src/test/resources/fixtures -o -path '*/target' -o -path '*/node_modules' -o -path '*/.terraform' \) -prune -o \
  -type f \( -name '*.sh' -o -path ./bin/sipai \) ! -name mvnw -print0 | sort -z)

if [ "${#scripts[@]}" -eq 0 ]; then
  echo "shellcheck-all: no shell scripts found"
  exit 0
fi

shellcheck --external-sources --severity=warning "${scripts[@]}"
echo "shellcheck-all: ${#scripts[@]} script(s) clean"
