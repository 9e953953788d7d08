#!/bin/sh
# Entry point of the Podium image: make the data folders usable, then run the command.
#
# Started as root (compose.yaml does this for the one-shot `migrate` service), it creates
# PODIUM_INSTANCE_PATH and PODIUM_UPLOAD_FOLDER and hands them to the podium user if a volume
# arrived owned by someone else (a volume first mounted by another container, a host folder
# made by root), then re-runs itself as podium. Started as podium (the image default), it only
# warns about a folder it cannot write, so that the web server still starts and the operator
# reads what to fix.
#
# Shortcuts: `web` (gunicorn), `worker` (mail sender), `migrate` (podium db upgrade; first it
# copies the static files to PODIUM_STATIC_EXPORT when set, the volume the proxy serves
# /static from); anything else is run as given, e.g. `podium create-admin`.
set -eu

data_dirs="${PODIUM_INSTANCE_PATH:-/var/lib/podium/instance} ${PODIUM_UPLOAD_FOLDER:-/var/lib/podium/uploads} ${PODIUM_STATIC_EXPORT:-}"

export_static() {
    # Files are added and replaced, never removed: during a rolling upgrade the replicas still
    # running the previous version keep finding the files their pages link to.
    static_source=$(python -c 'import importlib.resources as r; print(r.files("podium") / "static")')
    cp -R "$static_source/." "$PODIUM_STATIC_EXPORT/"
    echo "entrypoint: static files copied to $PODIUM_STATIC_EXPORT" >&2
}

if [ "$(id -u)" = 0 ]; then
    podium_uid=$(id -u podium)
    for dir in $data_dirs; do
        mkdir -p "$dir"
        # Only when the top folder is foreign: a full walk of a large uploads tree at every
        # start would be slow, and files inside are created by podium anyway.
        if [ "$(stat -c %u "$dir")" != "$podium_uid" ]; then
            echo "entrypoint: giving $dir to user podium (was uid $(stat -c %u "$dir"))" >&2
            chown -R podium:podium "$dir"
        fi
    done
    exec setpriv --reuid=podium --regid=podium --init-groups "$0" "$@"
fi

for dir in $data_dirs; do
    if ! mkdir -p "$dir" 2>/dev/null || [ ! -w "$dir" ]; then
        echo "entrypoint: warning: $dir is not writable by uid $(id -u); start the container" \
            "once as root (--user 0, it fixes ownership) or chown the volume to 10001:10001" >&2
    fi
done

case "${1:-}" in
    web)
        shift
        set -- gunicorn --config /app/docker/gunicorn.conf.py podium.wsgi:app "$@"
        ;;
    worker)
        shift
        set -- podium worker "$@"
        ;;
    migrate)
        shift
        if [ -n "${PODIUM_STATIC_EXPORT:-}" ]; then
            export_static
        fi
        set -- podium db upgrade "$@"
        ;;
esac
case "${1:-} ${2:-}" in
    "gunicorn "* | "podium worker")
        # -OO for the two long-running services: docstrings and asserts are no use to them and
        # cost each process about 5.5 MB resident. Other commands keep their help texts (click
        # reads them from docstrings). PYTHONOPTIMIZE=0 in the environment turns it off.
        export PYTHONOPTIMIZE="${PYTHONOPTIMIZE:-2}"
        ;;
esac
exec "$@"
