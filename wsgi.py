"""The web process: `gunicorn wsgi:app`."""

from dotenv import load_dotenv

from smsgateway import create_app

load_dotenv()
app = create_app()
