#!/bin/sh
# Start the proxy: install Podium's nginx configuration, add HTTPS when certificates are
# mounted, keep the list of web replicas current, then run nginx in the foreground.
#
# The replicas are found by asking Docker's DNS for the service name (PODIUM_UPSTREAM_HOST,
# default web) every PODIUM_UPSTREAM_REFRESH seconds (default 2); when the set of addresses
# changes (`docker compose up --scale web=3`, a replica stopped or restarted) the upstream
# block is rewritten and nginx reloads gracefully. nginx 1.22 resolves names in an upstream
# block only once, at start, and a name in proxy_pass sends every request to the first address.
set -eu

here=/etc/nginx/podium
conf=/etc/nginx/conf.d
upstream_host=${PODIUM_UPSTREAM_HOST:-web}
upstream_port=${PODIUM_UPSTREAM_PORT:-8000}
refresh=${PODIUM_UPSTREAM_REFRESH:-2}

write_upstream() {
    # $1: the addresses, one per line (may be empty: then a placeholder that answers 502).
    {
        echo "# Written by start.sh from Docker's DNS answer for $upstream_host; do not edit."
        echo "upstream podium_web {"
        if [ -n "$1" ]; then
            # max_fails=0: a replica answering 503 (its database is away) or refusing
            # connections is never taken out for everyone; proxy_next_upstream retries per request.
            echo "$1" | while read -r address; do
                echo "    server $address:$upstream_port max_fails=0;"
            done
        else
            echo "    server 127.0.0.1:9 down;  # no replica resolved yet"
        fi
        echo "}"
    } >"$conf/podium-upstream.conf.tmp"
    mv "$conf/podium-upstream.conf.tmp" "$conf/podium-upstream.conf"
}

resolve() {
    getent ahostsv4 "$upstream_host" 2>/dev/null | awk '{ print $1 }' | sort -u || true
}

# Replaces the official image's default site; Debian's sites-enabled is empty in the stand-in.
cp "$here/podium.conf" "$conf/default.conf"
rm -f "$conf/podium-tls.conf"
redirect=0
if [ -s /etc/nginx/tls/fullchain.pem ] && [ -s /etc/nginx/tls/privkey.pem ]; then
    cp "$here/tls.conf" "$conf/podium-tls.conf"
    redirect=1
    echo "proxy: certificates found in /etc/nginx/tls: HTTPS on 443, HTTP redirects there" >&2
fi
# podium.conf's port-80 server redirects to HTTPS when this is 1.
# shellcheck disable=SC2016  # $host and $podium_redirect_https are nginx variables, not shell ones
printf 'map $host $podium_redirect_https { default %s; }\n' "$redirect" >"$conf/podium-tls-switch.conf"
mkdir -p /var/cache/nginx/podium

current=$(resolve)
write_upstream "$current"
echo "proxy: web replicas: $(echo "$current" | tr '\n' ' ')" >&2

watch_replicas() {
    while sleep "$refresh"; do
        found=$(resolve)
        if [ "$found" != "$current" ]; then
            current=$found
            write_upstream "$current"
            echo "proxy: web replicas now: $(echo "$current" | tr '\n' ' ')" >&2
            nginx -s reload || echo "proxy: reload failed; keeping the previous replicas" >&2
        fi
    done
}
watch_replicas &

exec nginx -g 'daemon off;'
