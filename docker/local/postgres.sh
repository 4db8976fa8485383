#!/bin/sh
# PostgreSQL from Debian's package, for the local-images compose override (no image can be pulled):
# a throw-away cluster with user and database `aw`, reachable from the compose network.
set -eu
BIN=/usr/lib/postgresql/15/bin
install -d -o postgres -m 700 /tmp/pg
su postgres -s /bin/sh -c "$BIN/initdb -D /tmp/pg -U aw --auth=trust >/dev/null"
echo "host all all 0.0.0.0/0 trust" >> /tmp/pg/pg_hba.conf
su postgres -s /bin/sh -c "$BIN/pg_ctl -D /tmp/pg -o '-c unix_socket_directories=/tmp' -w start >/dev/null"
su postgres -s /bin/sh -c "$BIN/createdb -h /tmp -U aw aw"
su postgres -s /bin/sh -c "$BIN/pg_ctl -D /tmp/pg -w stop >/dev/null"
exec su postgres -s /bin/sh -c "exec $BIN/postgres -D /tmp/pg -c listen_addresses='*' -c unix_socket_directories=/tmp"
