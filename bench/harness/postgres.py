"""A PostgreSQL instance of the benchmark's own: initdb in a scratch folder, a free port, pg_stat_statements.

The shared cluster on port 5432 is never touched. PostgreSQL refuses to run as root, so when the harness runs
as root the server's programs run as the postgres user.
"""

import glob
import os
import re
import shutil
import subprocess

from . import system

SERVICE_USER = "bank"
UTILITY = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|START|END|SAVEPOINT|RELEASE|SET|RESET|SHOW|DISCARD|DEALLOCATE)\b", re.IGNORECASE)
SERVICE_PASSWORD = "bank"

# Everything else is initdb's default, as in compose's postgres image. More connections than the default 100:
# the pgbench ceiling opens 64, and the two services' pools up to 16 each.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "200",
    "shared_preload_libraries": "'pg_stat_statements'",
    "pg_stat_statements.max": "10000",
    "pg_stat_statements.track": "top",
    "log_min_duration_statement": "-1",
    "log_checkpoints": "on",
}


def bindir():
    configured = os.environ.get("PG_BINDIR")
    if configured:
        return configured
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"),
                        key=lambda p: int(p.split("/")[-3]) if p.split("/")[-3].isdigit() else 0)
    if not candidates:
        raise SystemExit("bench: PostgreSQL server binaries not found (install postgresql-15, or set PG_BINDIR)")
    return os.path.dirname(candidates[-1])


class Postgres:
    def __init__(self, workdir, log):
        self.bin = bindir()
        self.workdir = workdir
        self.data = os.path.join(workdir, "pgdata")
        self.port = system.free_port()
        self.log = log
        self.as_server_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started = False

    # --- lifecycle -------------------------------------------------------------------------------------------

    def start(self):
        os.makedirs(self.data)
        if self.as_server_user:
            os.chmod(self.workdir, 0o755)
            shutil.chown(self.data, "postgres", "postgres")
        self._server("initdb", "-D", self.data, "-U", "postgres", "-E", "UTF8", "--no-locale",
                     "--auth-local=trust", "--auth-host=scram-sha-256")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as conf:
            conf.write("\n# bench/run\n")
            conf.write(f"port = {self.port}\nunix_socket_directories = '{self.data}'\n")
            for key, value in SETTINGS.items():
                conf.write(f"{key} = {value}\n")
        self._server("pg_ctl", "-D", self.data, "-l", os.path.join(self.data, "server.log"), "-w", "-t", "120",
                     "start")
        self.started = True
        self.psql("postgres", f"CREATE ROLE {SERVICE_USER} LOGIN PASSWORD '{SERVICE_PASSWORD}'")

    def stop(self):
        if self.started:
            self._server("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)
            self.started = False

    def create_database(self, name):
        self.psql("postgres", f"CREATE DATABASE {name} OWNER {SERVICE_USER}")
        self.psql(name, "CREATE EXTENSION pg_stat_statements")

    def _server(self, program, *args, check=True):
        command = self.as_server_user + [os.path.join(self.bin, program), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        self.log.write(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}\n")
        self.log.flush()
        if check and result.returncode != 0:
            raise RuntimeError(f"{program} failed:\n{result.stdout}{result.stderr}")

    # --- access ----------------------------------------------------------------------------------------------

    def jdbc_url(self, database):
        return f"jdbc:postgresql://127.0.0.1:{self.port}/{database}"

    def postmaster_pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def psql_command(self, database):
        return [os.path.join(self.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.data,
                "-p", str(self.port), "-U", "postgres", "-d", database]

    def psql(self, database, sql):
        """Runs SQL as the superuser and returns its rows, each a list of strings."""
        result = subprocess.run(self.psql_command(database) + ["-A", "-t", "-F", "\t", "-c", sql],
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {sql[:200]}\n{result.stderr}")
        return [line.split("\t") for line in result.stdout.splitlines() if line]

    def run_file(self, database, path, variables):
        command = self.psql_command(database)
        for name, value in variables.items():
            command += ["-v", f"{name}={value}"]
        result = subprocess.run(command + ["-f", path], capture_output=True, text=True, timeout=7200)
        self.log.write(f"$ psql -f {path}\n{result.stdout}{result.stderr}\n")
        if result.returncode != 0:
            raise RuntimeError(f"{path} failed:\n{result.stderr}")

    # --- what a measurement window reads ---------------------------------------------------------------------

    def snapshot(self, database):
        """Committed transactions of the database, and the service user's statements by pg_stat_statements."""
        xacts = self.psql(database, "SELECT xact_commit, xact_rollback FROM pg_stat_database "
                                    "WHERE datname = current_database()")[0]
        statements = self.psql(database,
                               "SELECT queryid, calls, regexp_replace(left(query, 160), '\\s+', ' ', 'g') "
                               "FROM pg_stat_statements "
                               f"WHERE userid = '{SERVICE_USER}'::regrole "
                               "AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())")
        return {
            "commits": int(xacts[0]),
            "rollbacks": int(xacts[1]),
            "statements": {row[0]: (int(row[1]), row[2]) for row in statements},
            "cpu_seconds": system.tree_cpu_seconds(self.postmaster_pid()),
        }

    @staticmethod
    def delta(before, after):
        """Counts per window. Statements exclude BEGIN, COMMIT, SET and the like: whether pg_stat_statements sees
        those depends on the protocol the client speaks (it misses prepared ones), not on the work done;
        transactions are counted by pg_stat_database instead."""
        statements = []
        for queryid, (calls, text) in after["statements"].items():
            calls -= before["statements"].get(queryid, (0, ""))[0]
            if calls > 0:
                statements.append((calls, text))
        statements.sort(reverse=True)
        return {
            "commits": after["commits"] - before["commits"],
            "rollbacks": after["rollbacks"] - before["rollbacks"],
            "statement_calls": sum(calls for calls, text in statements if not UTILITY.match(text)),
            "statements": statements[:20],
            "cpu_seconds": after["cpu_seconds"] - before["cpu_seconds"],
        }
