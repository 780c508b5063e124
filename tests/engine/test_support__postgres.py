"""The throw-away PostgreSQL fixture really starts a server and hands out isolated databases."""

import psycopg
import pytest
import sqlalchemy as sa

from tests.support import postgres as pg

# The fixtures, bound by assignment: importing them by name (even with F401 silenced) trips ruff's
# F811 at every test that takes the fixture as a parameter. Drop these two lines once tests/conftest.py
# provides the fixtures to every test (otherwise this module starts a second server of its own).
postgres_server = pg.postgres_server
postgres_url = pg.postgres_url


def _conninfo(url: str) -> str:
    """psycopg takes the SQLAlchemy URL once the driver suffix is gone."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.mark.postgres
def test_round_trip_through_a_real_server(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    with psycopg.connect(_conninfo(postgres_url)) as conn:
        conn.execute("CREATE TABLE case_file (id serial PRIMARY KEY, title text NOT NULL)")
        conn.execute("INSERT INTO case_file (title) VALUES (%s), (%s)", ["بودجه ۱۴۰۴", "audit"])
        conn.commit()
        rows = conn.execute("SELECT id, title FROM case_file ORDER BY id").fetchall()
    assert rows == [(1, "بودجه ۱۴۰۴"), (2, "audit")]


@pytest.mark.postgres
def test_sqlalchemy_accepts_the_url(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == (
                sa.make_url(postgres_url).database
            )
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_server_runs_with_test_settings(postgres_server: pg.PostgresServer) -> None:
    with postgres_server.connect() as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', "
                "'listen_addresses', 'server_encoding')"
            ).fetchall()
        )
    assert settings == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
        "listen_addresses": "127.0.0.1",
        "server_encoding": "UTF8",
    }
    assert postgres_server.url == f"postgresql+psycopg://postgres@127.0.0.1:{postgres_server.port}/postgres"
    assert postgres_server.data_dir.is_dir()


@pytest.mark.postgres
def test_databases_are_isolated_and_dropped(postgres_server: pg.PostgresServer, postgres_url: str) -> None:
    with psycopg.connect(_conninfo(postgres_url)) as conn:
        conn.execute("CREATE TABLE only_here (x int)")
        conn.execute("INSERT INTO only_here VALUES (42)")
        conn.commit()

    with pg.temporary_database(postgres_server, "other") as other_url:
        assert other_url != postgres_url
        with psycopg.connect(_conninfo(other_url)) as conn:
            assert conn.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
        # a session still open at teardown must not block the drop (WITH (FORCE))
        lingering = psycopg.connect(_conninfo(other_url))
    other_name = sa.make_url(other_url).database
    try:
        assert other_name not in postgres_server.database_names()
        with pytest.raises(psycopg.OperationalError):
            lingering.execute("SELECT 1")
    finally:
        lingering.close()

    with psycopg.connect(_conninfo(postgres_url)) as conn:
        assert conn.execute("SELECT x FROM only_here").fetchall() == [(42,)]


def test_missing_binaries_say_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv(pg.BINDIR_ENV, str(tmp_path))  # a dir without initdb
    assert pg.find_bindir() is None
    assert not pg.available()
    with pytest.raises(RuntimeError, match=r"apt-get install -y postgresql"):
        pg.PostgresServer()


def test_database_names_are_unique_and_valid() -> None:
    names = {pg.unique_database_name("test_x[param-1]") for _ in range(50)}
    assert len(names) == 50
    assert all(pg._NAME_RE.match(name) for name in names)
    with pytest.raises(ValueError):
        pg._check_name('bad"; DROP DATABASE postgres; --')
