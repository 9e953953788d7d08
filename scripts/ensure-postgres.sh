#!/usr/bin/env bash
# Make sure the local PostgreSQL server the tests use answers; start it if this machine has one.
# Exit 0 when it answers (tests then run on SQLite and PostgreSQL), 1 when it cannot be had.
set -u
host=127.0.0.1
if pg_isready -q -h "$host" -p 5432 2>/dev/null; then
  exit 0
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "starting PostgreSQL $version cluster 'main'" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do
    pg_isready -q -h "$host" -p 5432 && exit 0
    sleep 1
  done
fi
echo "PostgreSQL is not reachable on $host:5432: tests run on SQLite only" >&2
exit 1
