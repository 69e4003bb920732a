#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the storage tests and prints the URL to reach
# it. Installs the distribution's server package when it is missing. The cluster lives
# in a temporary directory, listens only on a unix socket there and on a loopback port,
# and is stopped by `.ci/postgres.sh stop DIR`.
set -euo pipefail

if [ "${1:-}" = stop ]; then
  dir=$2
  bin=$(cat "$dir/bindir")
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  exit 0
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin=$(find_bin || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: installing postgresql from the distribution's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

dir=$(mktemp -d /tmp/gridgov-pg.XXXXXX)
chown postgres "$dir"
echo "$bin" > "$dir/bindir"
port=
for p in $(seq 55432 55532); do
  if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "postgres.sh: no free loopback port in 55432-55532" >&2; exit 1; }
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U gridgov --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=on" start >/dev/null
runuser -u postgres -- "$bin/createdb" -h "$dir" -p "$port" -U gridgov gridgov
echo "dir=$dir"
echo "url=postgres://gridgov@127.0.0.1:$port/gridgov?sslmode=disable"
