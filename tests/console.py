"""Console helpers: accounts with passwords, signing in with the form's CSRF token."""

from __future__ import annotations

import re

from sqlalchemy import select

from smsgateway.console.signin import hash_password
from smsgateway.models import Area, Role, User
from smsgateway.services import services

PASSWORD = "correct horse battery"


def console_account(app, name, role, area=None, agency_id=None, password=PASSWORD):
    """A user with a console password; returns its id."""
    with services(app).sessions.begin() as db:
        area_id = db.scalar(select(Area.id).where(Area.code == area)) if area else None
        user = User(name=name, role=Role(role), area_id=area_id, agency_id=agency_id,
                    password_hash=hash_password(password))
        db.add(user)
        db.flush()
        return user.id


def token_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client, name, password=PASSWORD, address="10.0.0.1"):
    """Post the sign-in form as a browser would (token from the form); returns the response."""
    token = token_of(client.get("/console/sign-in").get_data(as_text=True))
    return client.post("/console/sign-in", data={"name": name, "password": password,
                                                 "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def form_token(client, path="/console/"):
    """The CSRF token of a signed-in page."""
    return token_of(client.get(path).get_data(as_text=True))
