#!/usr/bin/env bash
# Right-sizes one stack from its cluster's Prometheus, read through the API server's service proxy with the
# credentials in the environment (the read-only drift role): kubeconfig for the stack's cluster, a local
# `kubectl proxy` on a free port, `npm run rightsize -- --write`. The table goes to the file named second.
#   bash .github/scripts/rightsize.sh <stack> <table file>
set -euo pipefail

stack="$1"
table="$2"
read -r cluster region < <(npm run -s rightsize -- --stack "$stack" --print-cluster)
context="rightsize-${stack}"
aws eks update-kubeconfig --name "$cluster" --region "$region" --alias "$context" >/dev/null

log="$(mktemp)"
kubectl proxy --context "$context" --address 127.0.0.1 --port 0 >"$log" 2>&1 &
proxy=$!
trap 'kill "$proxy" 2>/dev/null || true; rm -f "$log"' EXIT
address=""
for _ in $(seq 1 60); do
  address="$(sed -n 's/^Starting to serve on \(127\.0\.0\.1:[0-9][0-9]*\).*/\1/p' "$log")"
  [ -n "$address" ] && break
  kill -0 "$proxy" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$address" ] || { echo "kubectl proxy did not start: $(cat "$log")" >&2; exit 1; }

npm run -s rightsize -- --cluster-proxy "http://${address}" --stack "$stack" --write >"$table"
