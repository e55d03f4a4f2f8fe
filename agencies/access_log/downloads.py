"""Every file the service hands out (CSV, XLSX, PDF, calendar) goes through ``attachment``, so
that each one is recorded in the access log and sent with the same headers (``Cache-Control:
no-store`` is config.middleware.NoStoreMiddleware's, as on every signed-in response)."""

from django.http import HttpResponse

from agencies.access_log.services import record_export

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(request, content: bytes, content_type: str, file_name: str, *, what: str) -> HttpResponse:
    """A download, recorded in the access log as an export. Call it only once the permission
    check has passed; ``what`` names the export by service references (round, case number,
    format), never by anything people type."""
    record_export(request, what=what)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
