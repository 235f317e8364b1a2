"""What production runs (`deploy/`) exists in the CLI, with those flags; the proxy's client
address is believed only as far as PROXY_HOPS says."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from smsgateway.cli import cli

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _dockerfile() -> list[list[str]]:
    text = (DEPLOY / "Dockerfile").read_text()
    entry = json.loads(re.search(r"^ENTRYPOINT (.+)$", text, re.M).group(1))
    command = json.loads(re.search(r"^CMD (.+)$", text, re.M).group(1))
    assert entry == ["jobline"]
    return [command]


def _compose() -> list[list[str]]:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    found = []
    for service in services.values():
        if service.get("image") != "jobline":
            continue
        found.append(service["command"])  # the image's entry point is `jobline`
        test = service.get("healthcheck", {}).get("test", [])
        if test[1:2] == ["jobline"]:
            found.append(test[2:])
    return found


def _systemd() -> list[list[str]]:
    found = []
    for unit in (DEPLOY / "systemd").glob("*.service"):
        for line in unit.read_text().splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                program, *args = shlex.split(line.split("=", 1)[1])
                assert program.endswith("/jobline"), line
                found.append(args)
    return found


COMMANDS = _dockerfile() + _compose() + _systemd()


def test_every_deploy_file_was_read() -> None:
    """Web, worker and migrations appear in each kind of file the test reads."""
    assert {tuple(c[:1]) for c in COMMANDS} >= {("web",), ("worker",), ("db",), ("doctor",)}
    assert len(_compose()) >= 4 and len(_systemd()) >= 3


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_each_command_the_deploy_files_run_exists_with_those_flags(args: list[str]) -> None:
    command: click.Command = cli
    rest = list(args)
    while isinstance(command, click.Group):
        name, *rest = rest
        assert name in command.commands, f"`jobline {' '.join(args)}`: no command {name!r}"
        command = command.commands[name]
    # Parsing fails on an unknown flag or a value of the wrong type.
    command.make_context(command.name, rest)


def test_the_client_address_comes_from_the_proxy_only_when_told(app_factory) -> None:
    seen = []
    for hops in (0, 1):
        app = app_factory(PROXY_HOPS=hops)

        @app.get("/_address")
        def _address() -> str:
            from flask import request

            return str(request.remote_addr)

        seen.append(app.test_client().get(
            "/_address", headers={"X-Forwarded-For": "203.0.113.7"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True))
    assert seen == ["127.0.0.1", "203.0.113.7"]


def test_jobline_web_serves_the_app(app_factory) -> None:
    """`jobline web` (what the image and the unit run) starts gunicorn on the app."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    app = app_factory()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "REDIS_URL": app.config["REDIS_URL"], "SECRET_KEY": "k" * 40}
    process = subprocess.Popen([str(Path(sys.executable).parent / "jobline"), "web", "--bind",
                                f"127.0.0.1:{port}", "--workers", "1"], env=env,
                               start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "no answer"
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    assert body == {"status": "ok", "database": "ok", "redis": "ok"}
