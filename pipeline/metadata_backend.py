"""Where ML Metadata lives: a SQLite file by default, or a MySQL/MariaDB database.

A team that shares one metadata store across machines points every run at the same
MySQL-protocol server (`--metadata-mysql HOST:PORT/DATABASE`). The credentials come from
the environment, never from a flag, so they stay out of shell history, logs and the
files `compile` writes.

The configs are built from `metadata_store_pb2` directly: TFX's helpers for the same
protos import TensorFlow, and the CLI parses `--metadata-mysql` before any heavy import.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from ml_metadata.proto import metadata_store_pb2

MYSQL_USER_ENV = "MLMD_MYSQL_USER"
MYSQL_PASSWORD_ENV = "MLMD_MYSQL_PASSWORD"
MYSQL_ADDRESS_EXAMPLE = "127.0.0.1:3306/mlmd"
MAX_PORT = 65535
_MYSQL_ADDRESS = re.compile(r"(?P<host>[^:/\s]+):(?P<port>\d+)/(?P<database>\w+)")


@dataclass(frozen=True)
class MysqlAddress:
    """A MySQL or MariaDB database, as `HOST:PORT/DATABASE`."""

    host: str
    port: int
    database: str

    @classmethod
    def parse(cls, text: str) -> "MysqlAddress":
        """Reads `HOST:PORT/DATABASE`; a malformed string fails here, before anything runs."""
        match = _MYSQL_ADDRESS.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not HOST:PORT/DATABASE (e.g. {MYSQL_ADDRESS_EXAMPLE})")
        port = int(match["port"])
        if not 1 <= port <= MAX_PORT:
            raise ValueError(f"{text!r}: port {port} is not between 1 and {MAX_PORT}")
        return cls(match["host"], port, match["database"])

    def __str__(self) -> str:
        return f"{self.host}:{self.port}/{self.database}"


def connection_config(
    sqlite_path: Path, mysql: Optional[MysqlAddress] = None, environ: Mapping[str, str] = os.environ
) -> metadata_store_pb2.ConnectionConfig:
    """The MySQL database when one is given (user and password from the environment), else SQLite."""
    if mysql is None:
        return metadata_store_pb2.ConnectionConfig(
            sqlite=metadata_store_pb2.SqliteMetadataSourceConfig(
                filename_uri=str(sqlite_path),
                connection_mode=metadata_store_pb2.SqliteMetadataSourceConfig.READWRITE_OPENCREATE,
            )
        )
    user = environ.get(MYSQL_USER_ENV)
    if not user:
        raise ValueError(f"metadata store {mysql} needs a user name in ${MYSQL_USER_ENV} (password: ${MYSQL_PASSWORD_ENV})")
    return metadata_store_pb2.ConnectionConfig(
        mysql=metadata_store_pb2.MySQLDatabaseConfig(
            host=mysql.host,
            port=mysql.port,
            database=mysql.database,
            user=user,
            password=environ.get(MYSQL_PASSWORD_ENV, ""),
        )
    )
