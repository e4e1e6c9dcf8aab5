"""`--metadata-mysql HOST:PORT/DB`: parsing, credentials from the environment, CLI errors."""

from pathlib import Path

import pytest

from pipeline import cli
from pipeline.metadata_backend import MYSQL_PASSWORD_ENV, MYSQL_USER_ENV, MysqlAddress, connection_config


def test_address_parses_and_prints_back():
    address = MysqlAddress.parse("db.internal:3307/ml_metadata")
    assert (address.host, address.port, address.database) == ("db.internal", 3307, "ml_metadata")
    assert str(address) == "db.internal:3307/ml_metadata"


@pytest.mark.parametrize("text", ["localhost", "localhost:3306", "localhost/mlmd", ":3306/mlmd", "h:port/mlmd", "h:3306/", "h:3306/a/b"])
def test_malformed_addresses_are_refused_by_name(text):
    with pytest.raises(ValueError, match=f"'{text}' is not HOST:PORT/DATABASE"):
        MysqlAddress.parse(text)


def test_port_out_of_range_is_refused():
    with pytest.raises(ValueError, match="port 70000 is not between 1 and 65535"):
        MysqlAddress.parse("h:70000/mlmd")


def test_sqlite_by_default_and_mysql_with_credentials_from_the_environment(tmp_path):
    sqlite = connection_config(tmp_path / "m.sqlite")
    assert sqlite.sqlite.filename_uri == str(tmp_path / "m.sqlite")
    mysql = connection_config(
        tmp_path / "m.sqlite", MysqlAddress.parse("h:3306/mlmd"), {MYSQL_USER_ENV: "u", MYSQL_PASSWORD_ENV: "p"}
    )
    assert (mysql.mysql.host, mysql.mysql.port, mysql.mysql.database) == ("h", 3306, "mlmd")
    assert (mysql.mysql.user, mysql.mysql.password) == ("u", "p")
    assert not mysql.HasField("sqlite")


def test_mysql_without_a_user_names_the_variable():
    with pytest.raises(ValueError, match=f"needs a user name in \\${MYSQL_USER_ENV}"):
        connection_config(Path("m.sqlite"), MysqlAddress.parse("h:3306/mlmd"), {})


def test_cli_refuses_a_bad_address_before_anything_runs(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--output-dir", str(tmp_path), "--metadata-mysql", "db-without-port/mlmd"])
    assert exit_info.value.code == 2
    assert "--metadata-mysql: 'db-without-port/mlmd' is not HOST:PORT/DATABASE" in capsys.readouterr().err
    assert not (tmp_path / "logs").exists()


def test_cli_refuses_mysql_without_credentials(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(MYSQL_USER_ENV, raising=False)
    assert cli.main(["run", "--output-dir", str(tmp_path), "--metadata-mysql", "127.0.0.1:3306/mlmd"]) == 2
    assert f"${MYSQL_USER_ENV}" in capsys.readouterr().err
    assert not (tmp_path / "logs").exists()
