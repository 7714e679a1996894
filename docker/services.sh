#!/usr/bin/env bash
# Makes sure MySQL/MariaDB and Redis answer for `npm start`, `npm test` and CI.
#  - already answering on their ports: do nothing, say nothing;
#  - installed but stopped: start them on loopback;
#  - missing, and we are root on Debian: install them with apt-get, then start them;
#  - otherwise: print the compose command that provides them and exit non-zero.
# Idempotent. Honours DB_HOST/DB_PORT/REDIS_HOST/REDIS_PORT; only local hosts are started.
set -euo pipefail

DB_HOST=${DB_HOST:-127.0.0.1}
DB_PORT=${DB_PORT:-3306}
REDIS_HOST=${REDIS_HOST:-127.0.0.1}
REDIS_PORT=${REDIS_PORT:-6379}
here=$(cd "$(dirname "$0")" && pwd)

say() { echo "[services] $*" >&2; }

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # host port name
  for _ in $(seq 1 60); do
    answers "$1" "$2" && return 0
    sleep 0.5
  done
  say "$3 did not come up on $1:$2"
  return 1
}

is_local() { [[ "$1" == 127.* || "$1" == localhost || "$1" == ::1 ]]; }

can_apt() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null && [[ -f /etc/debian_version ]]; }

give_up() {
  say "$1 is not reachable and cannot be installed here."
  say "Start it with Docker instead:  docker compose -f $here/compose.yml up -d mysql redis"
  exit 1
}

apt_install() {
  say "installing $* with apt-get (one time)"
  if [[ -z "${QIHU_APT_UPDATED:-}" ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    export QIHU_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  answers "$REDIS_HOST" "$REDIS_PORT" && return 0
  is_local "$REDIS_HOST" || give_up "Redis at $REDIS_HOST:$REDIS_PORT"
  if ! command -v redis-server >/dev/null; then
    can_apt || give_up "Redis"
    apt_install redis-server
    answers "$REDIS_HOST" "$REDIS_PORT" && return 0
  fi
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /tmp --logfile /tmp/qihu-redis.log
  wait_for 127.0.0.1 "$REDIS_PORT" Redis
}

mysql_server() { command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -1; }

ensure_mysql() {
  answers "$DB_HOST" "$DB_PORT" && return 0
  is_local "$DB_HOST" || give_up "MySQL at $DB_HOST:$DB_PORT"
  local fresh=""
  if [[ -z "$(mysql_server)" ]]; then
    can_apt || give_up "MySQL/MariaDB"
    apt_install mariadb-server
    fresh=1
  fi
  if ! answers 127.0.0.1 "$DB_PORT"; then
    say "starting MariaDB/MySQL on 127.0.0.1:$DB_PORT"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec "$(mysql_server)" -- \
      --user=mysql --bind-address=127.0.0.1 --port="$DB_PORT"
    wait_for 127.0.0.1 "$DB_PORT" MariaDB
  fi
  if [[ -n "$fresh" ]]; then
    # Debian's fresh MariaDB lets root in over the socket only; the defaults expect root with an
    # empty password over TCP on loopback (a developer machine, never production).
    mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;" \
      || say "could not open root over TCP; set DB_USER/DB_PASSWORD"
  fi
}

ensure_mysql
ensure_redis
