# Sourced by .ci/run (bash, set -euo pipefail): installs MariaDB from Debian's packages,
# starts it, creates the test database and user, and exports what
# tests/test_mysql_metadata_e2e.py reads, so CI always runs that test.
# The user authenticates with mysql_native_password, which ml-metadata's MySQL client speaks.

MLMD_TEST_DATABASE=mlmd_test
MLMD_TEST_USER=mlmd
MLMD_TEST_PASSWORD=mlmd-ci-only  # a throwaway server inside the CI container
MLMD_TEST_HOST=127.0.0.1
MLMD_TEST_PORT=3306
MARIADB_START_TIMEOUT_S=60

if ! command -v mariadbd >/dev/null; then
  echo "CI: installing mariadb-server from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi
if ! mariadb-admin ping >/dev/null 2>&1; then
  echo "CI: starting MariaDB"
  service mariadb start
fi
for _ in $(seq "$MARIADB_START_TIMEOUT_S"); do
  mariadb-admin ping >/dev/null 2>&1 && break
  sleep 1
done
mariadb-admin ping >/dev/null 2>&1 || {
  echo "CI: MariaDB did not answer within ${MARIADB_START_TIMEOUT_S} s (see /var/log/mysql/ or journal)" >&2
  exit 1
}
mariadb --user=root <<SQL
CREATE DATABASE IF NOT EXISTS ${MLMD_TEST_DATABASE};
CREATE USER IF NOT EXISTS '${MLMD_TEST_USER}'@'%'
  IDENTIFIED VIA mysql_native_password USING PASSWORD('${MLMD_TEST_PASSWORD}');
GRANT ALL PRIVILEGES ON ${MLMD_TEST_DATABASE}.* TO '${MLMD_TEST_USER}'@'%';
SQL
export MLMD_MYSQL_TEST_ADDRESS="${MLMD_TEST_HOST}:${MLMD_TEST_PORT}/${MLMD_TEST_DATABASE}"
export MLMD_MYSQL_USER="${MLMD_TEST_USER}"
export MLMD_MYSQL_PASSWORD="${MLMD_TEST_PASSWORD}"
echo "CI: MariaDB $(mariadb-admin version 2>/dev/null | sed -n 's/^Server version[[:space:]]*//p') answers at ${MLMD_MYSQL_TEST_ADDRESS}"
