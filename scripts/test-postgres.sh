#!/usr/bin/env bash
# A private, throwaway PostgreSQL server for the tests: its own cluster under /tmp, on loopback.
# `start` prints the SQLAlchemy URL; `stop` stops it. Uses Debian's postgresql binaries.
set -euo pipefail
PORT="${HELPLINE_TEST_PG_PORT:-55432}"
DATA="${HELPLINE_TEST_PG_DIR:-/tmp/helpline-test-pg}"
BINDIR="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BINDIR" ] || [ ! -x "$BINDIR/initdb" ]; then
  echo "helpline: PostgreSQL server binaries not found; install Debian's postgresql (apt-get install postgresql)" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"; [ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
      as_pg "$BINDIR/initdb" -D "$DATA" -U helpline --auth=trust -E UTF8 --locale=C.UTF-8 > /dev/null
    fi
    if ! as_pg "$BINDIR/pg_ctl" -D "$DATA" status > /dev/null 2>&1; then
      as_pg "$BINDIR/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start > /dev/null
    fi
    as_pg "$BINDIR/psql" -h 127.0.0.1 -p "$PORT" -U helpline -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='helpline_test'" | grep -q 1 \
      || as_pg "$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U helpline helpline_test
    echo "postgresql+psycopg://helpline@127.0.0.1:$PORT/helpline_test"
    ;;
  stop)
    as_pg "$BINDIR/pg_ctl" -D "$DATA" -m fast stop > /dev/null 2>&1 || true
    ;;
esac
