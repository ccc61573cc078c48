#!/usr/bin/env bash
# Re-vendors the GitHub Actions workflow JSON schema (SchemaStore's github-workflow.json,
# Apache-2.0) into the infra checks. The schema comes from the npm registry: the package
# @action-validator/core embeds it in its WebAssembly module; this script extracts the JSON.
# Usage: infra/scripts/vendor-workflow-schema.sh [version]   (needs npm and node)
set -euo pipefail

version="${1:-0.6.0}"
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../src/test/resources/schemas/github-workflow.json"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@action-validator/core@${version}" > /dev/null && tar xzf ./*.tgz)

node - "$work/package/action_validator_bg.wasm" "$target" <<'JS'
const fs = require('fs');
const [wasmPath, target] = process.argv.slice(2);
const text = fs.readFileSync(wasmPath).toString('latin1');
const marker = '"$id": "https://json.schemastore.org/github-workflow.json"';
const at = text.indexOf(marker);
if (at < 0) { console.error('schema not found in ' + wasmPath); process.exit(1); }
let start = text.lastIndexOf('{', at);
let depth = 0, inString = false, escaped = false, end = -1;
for (let i = start; i < text.length; i++) {
  const c = text[i];
  if (inString) {
    if (escaped) escaped = false; else if (c === '\\') escaped = true; else if (c === '"') inString = false;
  } else if (c === '"') inString = true;
  else if (c === '{') depth++;
  else if (c === '}') { depth--; if (depth === 0) { end = i + 1; break; } }
}
const schema = JSON.parse(Buffer.from(text.slice(start, end), 'latin1').toString('utf8'));
fs.writeFileSync(target, JSON.stringify(schema, null, 2) + '\n');
console.log('wrote ' + target + ' (' + Object.keys(schema.definitions).length + ' definitions)');
JS
