"""The settings of the processes the worker tests start: production's, with e-mail written to
files in MAIL_DIR so that the test can count what was sent, across processes."""

import os

from config.settings import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["MAIL_DIR"]},
    }
}
