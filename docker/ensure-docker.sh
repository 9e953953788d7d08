#!/usr/bin/env bash
# Make a Docker engine and the tools the container tests need available on this machine.
#
# Installs Debian's docker.io, docker-compose (1.29, the only Compose here), debootstrap, npm
# (MailDev's stand-in), shellcheck (the tests lint the shell scripts), wrk (load through the
# proxy) and openssl (a throw-away certificate for the TLS configuration) when missing, then
# starts dockerd in the background if no engine answers. Idempotent: on a machine where all of
# this already runs it only checks and returns within a second.
# Needs root (CI and the development machines run as root). Exit status 0 means
# `docker info` answers.
set -euo pipefail

log_dir=${PODIUM_DOCKERD_LOG_DIR:-/var/log}
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v npm >/dev/null || missing+=(npm)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v wrk >/dev/null || missing+=(wrk)
command -v openssl >/dev/null || missing+=(openssl)

if ((${#missing[@]})); then
    echo "ensure-docker: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_log=$(mktemp)
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
        >"$apt_log" 2>&1; then
        tail -n 30 "$apt_log" >&2
        exit 1
    fi
    rm -f "$apt_log"
fi

if docker info >/dev/null 2>&1; then
    exit 0
fi

echo "ensure-docker: starting dockerd (log: $log_dir/podium-dockerd.log)" >&2
# setsid detaches the daemon from this script's process group, so that a CI step that ends
# this script does not take the engine down with it.
setsid dockerd >>"$log_dir/podium-dockerd.log" 2>&1 </dev/null &
for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
        exit 0
    fi
    sleep 0.5
done
echo "ensure-docker: dockerd did not answer within 30 s; last log lines:" >&2
tail -n 20 "$log_dir/podium-dockerd.log" >&2 || true
exit 1
