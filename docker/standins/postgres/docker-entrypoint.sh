#!/usr/bin/env bash
# A small version of the official postgres image's entrypoint (same variables, same effects):
# on an empty $PGDATA create the cluster, the superuser POSTGRES_USER with POSTGRES_PASSWORD
# and the database POSTGRES_DB, run /docker-entrypoint-initdb.d/*.sql|*.sh, then start the
# server in the foreground. Runs the server as the postgres user.
set -Eeuo pipefail

file_env() {
    # file_env VAR [DEFAULT]: VAR from $VAR or from the file named by $VAR_FILE (not both).
    local var=$1 file_var="${1}_FILE" def=${2:-}
    if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then
        echo >&2 "error: both $var and $file_var are set (but are exclusive)"
        exit 1
    fi
    local val=$def
    if [[ -n ${!var:-} ]]; then
        val=${!var}
    elif [[ -n ${!file_var:-} ]]; then
        val=$(<"${!file_var}")
    fi
    export "$var"="$val"
    unset "$file_var"
}

if [[ ${1:-} == postgres && $(id -u) == 0 ]]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [[ ${1:-} == postgres && ! -s $PGDATA/PG_VERSION ]]; then
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    if [[ -z $POSTGRES_PASSWORD && $auth != trust ]]; then
        echo >&2 "error: database is uninitialized and superuser password is not specified."
        echo >&2 "       set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value."
        exit 1
    fi
    # shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of options on purpose
    initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
        --encoding=UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-} >/dev/null
    printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >/dev/null
    export PGPASSWORD=$POSTGRES_PASSWORD
    psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname postgres)
    if [[ $POSTGRES_DB != postgres ]]; then
        "${psql[@]}" --set db="$POSTGRES_DB" -q <<<'CREATE DATABASE :"db";'
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        # shellcheck disable=SC1090  # init scripts are the operator's, sourced as upstream does
        case $f in
            *.sh) echo "running $f"; . "$f" ;;
            *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
            *) ;;
        esac
    done
    unset PGPASSWORD
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
