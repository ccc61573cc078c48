#!/usr/bin/env bash
# Post-deploy smoke test: GET <base>/v1/health must answer 200, and a WebSocket upgrade on the
# realtime endpoint must answer 101 Switching Protocols.
# Usage: smoke-test.sh https://voice.example.com wss://voice.example.com   (the WS_URL is REALTIME_WS_URL, a base)
# Optional: SMOKE_API_KEY (sent as Bearer token on the WebSocket upgrade), SMOKE_ATTEMPTS.
set -euo pipefail

base_url="${1:?usage: smoke-test.sh BASE_URL WS_URL}"
ws_url="${2:?usage: smoke-test.sh BASE_URL WS_URL}"
attempts="${SMOKE_ATTEMPTS:-20}"

case "$base_url" in https://*) ;; *) echo "smoke-test: BASE_URL must be https://" >&2; exit 2 ;; esac
case "$ws_url" in wss://*) ;; *) echo "smoke-test: WS_URL must be wss://" >&2; exit 2 ;; esac

health_ok=false
for i in $(seq 1 "$attempts"); do
  status="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "${base_url}/v1/health" || true)"
  if [ "$status" = "200" ]; then
    health_ok=true
    break
  fi
  echo "smoke-test: GET /v1/health answered ${status:-nothing} (attempt $i/$attempts)"
  sleep 6
done
if [ "$health_ok" != true ]; then
  echo "smoke-test: FAILED, ${base_url}/v1/health never answered 200" >&2
  exit 1
fi
echo "smoke-test: GET /v1/health 200"

https_ws_url="https://${ws_url#wss://}/realtime/voice"
key="$(head -c 16 /dev/urandom | base64)"
headers=(-H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: ${key}")
if [ -n "${SMOKE_API_KEY:-}" ]; then
  headers+=(-H "Authorization: Bearer ${SMOKE_API_KEY}")
fi
# curl keeps the upgraded connection open until --max-time; only the status line matters.
response="$(curl -sS -i --http1.1 --max-time 5 "${headers[@]}" "$https_ws_url" 2>/dev/null || true)"
status_line="$(printf '%s\n' "$response" | head -n 1 | tr -d '\r')"
case "$status_line" in
  *" 101"*) echo "smoke-test: WebSocket upgrade ${status_line}" ;;
  *)
    echo "smoke-test: FAILED, WebSocket upgrade on ${ws_url} answered '${status_line:-nothing}'" >&2
    exit 1
    ;;
esac
echo "smoke-test: passed"
