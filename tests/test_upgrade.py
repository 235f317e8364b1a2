"""An upgrade keeps the data: a database at the first migration, with rows written by plain SQL
as that schema had them, is upgraded to head; the rows are intact and the app reads them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.orm import Session

from smsgateway.cli import alembic_config
from smsgateway.kernel.areas import load_areas
from smsgateway.models import (
    Area,
    CheckIn,
    Contact,
    InboundMessage,
    Message,
    MessageStatus,
    Villager,
)
from smsgateway.services import services

from .api import account, placement_setting
from .conftest import make_app

FIRST = "0001"
AT = "2026-03-01 08:00:00"

ROWS_AT_0001 = [
    "INSERT INTO areas (id, code, level, parent_id, name_zh, name_en, position) VALUES "
    "(1, 'lincang', 'city', NULL, '临沧市', 'Lincang', 0), "
    "(2, 'yongde', 'county', 1, '永德县', 'Yongde', 0), "
    "(3, 'yongde.dedang', 'township', 2, '德党镇', 'Dedang', 0)",
    "INSERT INTO contacts (id, phone, language, opted_out, opted_out_at, created_at) VALUES "
    f"(1, '+8613900000001', 'zh', false, NULL, '{AT}'), "
    f"(2, '+8613900000002', 'en', true, '{AT}', '{AT}')",
    "INSERT INTO villagers (id, contact_id, name, sex, birth_year, township_id, "
    "outside_province, sms_consent, registered_via, created_at, updated_at) VALUES "
    f"(1, 1, '李梅', 'f', 1995, 3, true, true, 'ussd', '{AT}', '{AT}')",
    "INSERT INTO villager_skills (villager_id, skill_code) VALUES (1, 'factory')",
    "INSERT INTO messages (id, contact_id, phone, body, segments, kind, channel, status, "
    "provider_message_id, error_code, error_reason, attempts, created_at, updated_at, sent_at) "
    f"VALUES (1, 1, '+8613900000001', '注册成功', 1, 'registration', 'twilio', 'sent', 'SM1', "
    f"NULL, NULL, 1, '{AT}', '{AT}', '{AT}'), "
    "(2, 1, '+8613900000001', '培训通知', 1, 'notice', 'twilio', 'queued', NULL, NULL, NULL, 0, "
    f"'{AT}', '{AT}', NULL)",
    "INSERT INTO inbound_messages (id, gateway, provider_message_id, phone, body, reply, "
    "received_at) VALUES "
    f"(1, 'twilio', 'SMin1', '+8613900000001', 'REG', '请问您的姓名？', '{AT}')",
]


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the suite's (a file, or a new PostgreSQL one)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    server = create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = "jobline_upgrade_test"
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()


def test_an_upgrade_from_the_first_migration_to_head_keeps_every_row(fresh_url, redis_url):
    config = alembic_config(fresh_url)
    command.upgrade(config, FIRST)
    engine = create_engine(fresh_url)
    with engine.begin() as connection:
        for statement in ROWS_AT_0001:
            connection.execute(text(statement))
    command.upgrade(config, "head")
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
    with Session(engine) as db:  # the models read the old rows, with the new columns' defaults
        villager = db.get_one(Villager, 1)
        assert (villager.name, villager.sex.value, villager.birth_year) == ("李梅", "f", 1995)
        assert (villager.contact.phone, villager.township.code) == ("+8613900000001",
                                                                   "yongde.dedang")
        assert [s.skill_code for s in villager.skills] == ["factory"]
        assert villager.registered_by_id is None
        stopped = db.get_one(Contact, 2)
        assert stopped.opted_out and stopped.opted_out_reason is None
        messages = db.scalars(select(Message).order_by(Message.id)).all()
        assert [(m.body, m.status, m.answer, m.not_before, m.template) for m in messages] == [
            ("注册成功", MessageStatus.SENT, False, None, None),
            ("培训通知", MessageStatus.QUEUED, False, None, None)]
        [inbound] = db.scalars(select(InboundMessage)).all()
        assert (inbound.body, inbound.reply) == ("REG", "请问您的姓名？")
    engine.dispose()
    app = make_app(fresh_url, redis_url)  # and the app serves them
    shown = app.test_client().get("/api/v1/villagers/1", headers=account(app, "admin", "admin"))
    assert shown.status_code == 200, shown.json
    assert (shown.json["name"], shown.json["phone"], shown.json["township"]) == (
        "李梅", "+8613900000001", "yongde.dedang")


def test_check_ins_carry_their_placements_township_across_0026(fresh_url, redis_url):
    """0026 copies each check-in's township from its application (the report counts answered
    check-ins per township from one index): a check-in written without one gets its
    application's; downgrading drops the column and upgrading fills it again, row by row."""
    config = alembic_config(fresh_url)
    command.upgrade(config, "head")
    engine = create_engine(fresh_url)
    with Session(engine) as db, db.begin():
        load_areas(db)
    app = make_app(fresh_url, redis_url)
    setting = placement_setting(app, app.test_client())
    first, second = setting["applications"][:2]
    services(app).engine.dispose()  # its connections would hold the tables the downgrade alters
    with Session(engine) as db, db.begin():
        sent = datetime(2027, 3, 4, 4, tzinfo=UTC)
        for application_id in (first, second):  # the app writes no township: the default does
            db.add(CheckIn(application_id=application_id, number=0, due_at=sent, sent_at=sent,
                           last_sent_at=sent))
    with Session(engine) as db:
        dedang = db.scalars(select(Area.id).where(Area.code == "yongde.dedang")).one()
        other = db.scalars(select(Area.id).where(Area.code == "yongde.yongkang")).one()
        assert set(db.scalars(select(CheckIn.township_id))) == {dedang}
    command.downgrade(config, "0025")
    with engine.begin() as connection:  # the second placement's township, moved by hand
        connection.execute(text("UPDATE applications SET township_id = :t WHERE id = :id"),
                           {"t": other, "id": second})
    command.upgrade(config, "head")
    with Session(engine) as db:
        rows = db.execute(select(CheckIn.application_id, CheckIn.township_id))
        assert {application: township for application, township in rows} == {
            first: dedang, second: other}
    engine.dispose()
