#!/usr/bin/env bash
# A local Anvil for people and scripts: `scripts/anvil.sh start [anvil args…]` starts one on a free
# loopback port (pid and URL in build/anvil/), `status` prints its URL, `stop` stops it by PID.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/anvil
mkdir -p "$dir"
pidfile="$dir/anvil.pid"; urlfile="$dir/anvil.url"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
  start)
    shift
    if running; then cat "$urlfile"; exit 0; fi
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    node_modules/.bin/anvil --host 127.0.0.1 --port "$port" --silent "$@" > "$dir/anvil.log" 2>&1 &
    echo $! > "$pidfile"
    url="http://127.0.0.1:$port"
    echo "$url" > "$urlfile"
    for _ in $(seq 1 300); do
      if node_modules/.bin/cast chain-id --rpc-url "$url" >/dev/null 2>&1; then echo "$url"; exit 0; fi
      running || { echo "anvil exited; see $dir/anvil.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "anvil did not answer at $url" >&2; exit 1 ;;
  stop)
    if running; then
      pid=$(cat "$pidfile"); kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile" "$urlfile" ;;
  status)
    if running; then cat "$urlfile"; else echo "not running" >&2; exit 1; fi ;;
  *) echo "usage: scripts/anvil.sh start [anvil args…] | stop | status" >&2; exit 2 ;;
esac
