"""The app a job runs in: the one the worker installed, or one built from the environment.

It lives here, not in `workers`, so that `jobline worker` can install it without
`smsgateway` importing `workers`.
"""

from __future__ import annotations

from flask import Flask

from .services import Services, services

_app: Flask | None = None


def install(app: Flask) -> None:
    """Make jobs in this process (and its forked work-horses) use `app`."""
    global _app
    _app = app


def app() -> Flask:
    """The installed app; built from the environment on first use when none was installed."""
    global _app
    if _app is None:
        from . import create_app

        _app = create_app()
    return _app


def jobline() -> Services:
    """The services of the job's app."""
    return services(app())
