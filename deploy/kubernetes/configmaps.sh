#!/usr/bin/env bash
# Makes (or updates) the ConfigMaps deployment.yaml mounts, from the repository's rules/ and deploy/templates/:
#   deploy/kubernetes/configmaps.sh [namespace]
# Run it again after editing a rule: with NUDGE_RULES_RELOAD=watch the pods load the new rules within a minute or so
# (the kubelet's sync period), refusing rules that do not compile as any reload does.
set -euo pipefail
cd "$(dirname "$0")/../.."
ns=(${1:+--namespace "$1"})
apply() { kubectl create configmap "$1" --from-file="$2" --dry-run=client -o yaml | kubectl apply "${ns[@]}" -f -; }
apply nudge-rules rules/
for dir in deploy/templates/*/; do
  apply "nudge-templates-$(basename "$dir")" "$dir"
done
