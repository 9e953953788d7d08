#!/usr/bin/env bash
# Build offline stand-ins for the base images that Dockerfile and compose.yaml name.
#
# No container registry is reachable on the machines this project is built and tested on, so
# every FROM/image name is produced here from Debian's own packages (and MailDev from npm) and
# tagged with exactly the name a registry would serve:
#
#   debian:bookworm-slim          debootstrap --variant=minbase, slimmed like the official image
#   python:3.11-slim-bookworm     Debian's Python 3.11 + venv; host CA bundle trusted, PIP_CERT set
#   postgres:15-bookworm          Debian's PostgreSQL 15 with an entrypoint honouring the official
#                                 image's POSTGRES_USER/POSTGRES_PASSWORD(_FILE)/POSTGRES_DB/PGDATA
#   maildev/maildev:2.2.1         MailDev from npm (package-lock.json here) on Debian's Node.js
#   redis:7.0-bookworm            Debian's redis-server 7.0 (rate-limit counters shared by replicas)
#   nginx:1.22-bookworm           Debian's nginx 1.22 laid out like the official image (the proxy)
#
# Where a registry is reachable, none of this is needed: `docker compose pull` gets the real ones.
#
# Re-runs are fast: an image is rebuilt only when the hash of its inputs (stored as a label)
# changed, and the debootstrap root is cached as a tarball in $PODIUM_STANDIN_CACHE (default
# docker/standins/.cache, git-ignored). PODIUM_STANDIN_REFRESH=1 re-runs debootstrap (for
# Debian's latest security updates) and so rebuilds everything.
#
# Environment: DOCKER (client, default docker), DEBIAN_MIRROR (default: the mirror apt on this
# host uses), PODIUM_STANDIN_CACHE, PODIUM_STANDIN_REFRESH.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PODIUM_STANDIN_CACHE:-$here/.cache}
docker=${DOCKER:-docker}
suite=bookworm
label=org.podium.standin.inputs

# The names below are the contract with Dockerfile and compose.yaml; tests/container checks
# that those files use exactly these.
DEBIAN_IMAGE=debian:bookworm-slim
PYTHON_IMAGE=python:3.11-slim-bookworm
POSTGRES_IMAGE=postgres:15-bookworm
MAILDEV_IMAGE=maildev/maildev:2.2.1
REDIS_IMAGE=redis:7.0-bookworm
NGINX_IMAGE=nginx:1.22-bookworm

say() { printf 'standins: %s\n' "$*" >&2; }

host_mirror() {
    # First Debian archive URL (not the security one) that apt on this host is configured with.
    local url
    url=$(grep -hoE '(https?://[^ ]+/debian)/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 | tr -d ' ' || true)
    echo "${url:-http://deb.debian.org/debian}"
}
mirror=${DEBIAN_MIRROR:-$(host_mirror)}
mirror=${mirror%/}
security_mirror=${DEBIAN_SECURITY_MIRROR:-${mirror}-security}

current_label() {
    "$docker" image inspect --format "{{ index .Config.Labels \"$label\" }}" "$1" 2>/dev/null || true
}

hash_inputs() {
    # sha256 over the given files' names and contents, and extra strings: the image's identity.
    # Names without their folder, so that the same inputs hash alike from any checkout path.
    { for item in "$@"; do
        if [[ -f $item ]]; then
            printf '%s %s\n' "$(basename "$item")" "$(sha256sum <"$item" | cut -c1-64)"
        else
            printf '%s\n' "$item"
        fi
      done; } | sha256sum | cut -c1-16
}

image_id() { "$docker" image inspect --format '{{.Id}}' "$1"; }

slim_root() {
    # The same trimming the official debian:*-slim images get (debuerreotype --slimify):
    # no manuals, docs or translations, now or in packages installed later.
    local root=$1
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
CFG
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/{man,groff,info,lintian,linda,locale}/*
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
CFG
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<CFG
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
CFG
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
        "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/root/.bash_history
    # The host's resolver and name must not end up in an image; Docker provides both at run time.
    : >"$root/etc/resolv.conf"
    echo localhost >"$root/etc/hostname"
    : >"$root/etc/machine-id"
}

build_debian() {
    # Identity of the base: the slimming code, suite and mirror (not the rest of this script, so
    # editing a comment rebuilds nothing). An image carrying that label is reused as it is, even
    # from a fresh clone with an empty cache.
    local want
    want=$(hash_inputs "$(declare -f slim_root)" "$suite" "$mirror")
    if [[ $(current_label "$DEBIAN_IMAGE") == "$want" && ${PODIUM_STANDIN_REFRESH:-0} != 1 ]]; then
        say "$DEBIAN_IMAGE up to date"
        return
    fi
    local tarball=$cache/debian-$suite-minbase-$want.tar
    mkdir -p "$cache"
    if [[ ! -s $tarball || ${PODIUM_STANDIN_REFRESH:-0} == 1 ]]; then
        local root
        root=$(mktemp -d "$cache/root.XXXXXX")
        say "debootstrap $suite from $mirror (about half a minute)"
        if ! debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$cache/debootstrap.log" 2>&1; then
            tail -n 20 "$cache/debootstrap.log" >&2
            rm -rf "$root"
            return 1
        fi
        slim_root "$root"
        tar --numeric-owner -C "$root" -cf "$tarball.tmp" .
        mv "$tarball.tmp" "$tarball"
        rm -rf "$root"
        # Roots made by earlier versions of this script are of no further use.
        find "$cache" -maxdepth 1 -name "debian-$suite-minbase-*.tar" -not -path "$tarball" -delete
    fi
    say "importing $DEBIAN_IMAGE"
    "$docker" import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        --change "LABEL $label=$want" \
        "$tarball" "$DEBIAN_IMAGE" >/dev/null
}

build_dockerfile_image() {
    # build_dockerfile_image NAME DIR [extra hash inputs...]: docker build DIR as NAME if its
    # inputs (every file in DIR, the base image's id, extras) changed.
    local name=$1 dir=$2
    shift 2
    local files want
    mapfile -t files < <(find "$dir" -type f -not -path '*/node_modules/*' | LC_ALL=C sort)
    want=$(hash_inputs "${files[@]}" "$(image_id "$DEBIAN_IMAGE")" "$@")
    if [[ $(current_label "$name") == "$want" ]]; then
        say "$name up to date"
        return
    fi
    say "building $name"
    local started=$SECONDS
    if ! DOCKER_BUILDKIT=0 "$docker" build --quiet --label "$label=$want" -t "$name" "$dir" \
        >"$cache/build-${name//[\/:]/_}.log" 2>&1; then
        tail -n 30 "$cache/build-${name//[\/:]/_}.log" >&2
        return 1
    fi
    say "built $name in $((SECONDS - started)) s"
}

prepare_maildev() {
    # MailDev's npm packages are fetched on the host (npm is installed here and reaches the npm
    # registry) from the committed lock file, then copied into the image.
    local dir=$here/maildev
    if [[ ! -f $dir/node_modules/.package-lock.json ]] ||
        ! cmp -s <(sha256sum "$dir/package-lock.json" | cut -c1-64) "$dir/node_modules/.lock-hash" 2>/dev/null; then
        say "npm ci for MailDev"
        (cd "$dir" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
        sha256sum "$dir/package-lock.json" | cut -c1-64 >"$dir/node_modules/.lock-hash"
    fi
}

main() {
    mkdir -p "$cache"
    build_debian
    # pip inside builds must trust what the host trusts (a TLS-inspecting proxy's CA, say).
    cp /etc/ssl/certs/ca-certificates.crt "$here/python/ca-certificates.crt"
    build_dockerfile_image "$PYTHON_IMAGE" "$here/python"
    build_dockerfile_image "$POSTGRES_IMAGE" "$here/postgres"
    prepare_maildev
    build_dockerfile_image "$MAILDEV_IMAGE" "$here/maildev"
    build_dockerfile_image "$REDIS_IMAGE" "$here/redis"
    build_dockerfile_image "$NGINX_IMAGE" "$here/nginx"
    # Images replaced by a rebuild keep nothing but disk space busy.
    "$docker" image prune --force --filter "label=$label" >/dev/null
}

main "$@"
