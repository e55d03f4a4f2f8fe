"""Filters for the service's log (settings.LOGGING)."""

import logging

from django.core.exceptions import PermissionDenied


class ExpectedRefusalFilter(logging.Filter):
    """A 403 is the service working as meant (someone asked for a page their role does not
    allow): django.request logs it as one warning line, "Forbidden (Permission denied): <path>",
    without the traceback it would otherwise attach. Other exceptions keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
