#!/bin/sh
# Registers Koppelwerk's custom search attributes (src/temporal/search-attributes.ts) in a
# Temporal namespace. Run once by the `temporal-admin-tools` service of docker-compose.yml, after
# the server is up; safe to run again (attributes that already exist are left alone).
#
# Needs the `temporal` CLI on PATH (the temporalio/admin-tools image has it). Env:
#   TEMPORAL_ADDRESS    host:port of the frontend        (default temporal:7233)
#   TEMPORAL_NAMESPACE  namespace to register them in    (default default)
#   WAIT_SECONDS        how long to wait for the server  (default 180)
# POSIX sh on purpose: the admin-tools image is not guaranteed to have bash.
set -eu

ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
WAIT_SECONDS="${WAIT_SECONDS:-180}"

# name=Type, as in src/temporal/search-attributes.ts
ATTRIBUTES="TenantId=Keyword KoppelingType=Keyword KoppelingState=Keyword LastSyncAt=Datetime JaarwerkYear=Keyword JaarwerkStatus=Keyword"

wait_for() { # wait_for DESCRIPTION COMMAND...
  what="$1"
  shift
  waited=0
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$WAIT_SECONDS" ]; then
      echo "register-search-attributes: $what not ready after ${WAIT_SECONDS}s" >&2
      "$@" >&2 || true
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}

echo "register-search-attributes: waiting for Temporal at $ADDRESS"
wait_for "Temporal at $ADDRESS" temporal operator cluster health --address "$ADDRESS"
# auto-setup creates the default namespace shortly after the frontend starts serving.
echo "register-search-attributes: waiting for namespace $NAMESPACE"
wait_for "namespace $NAMESPACE" temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE"

existing="$(temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE")"
for pair in $ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  if printf '%s\n' "$existing" | grep -Eq "(^|[[:space:]])$name([[:space:]]|$)"; then
    echo "register-search-attributes: $name already registered"
    continue
  fi
  temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" \
    --name "$name" --type "$type"
  echo "register-search-attributes: created $name ($type)"
done

echo "register-search-attributes: done; current search attributes in $NAMESPACE:"
temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE"
