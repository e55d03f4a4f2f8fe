"""The log says what went wrong, and nothing when nothing did: an expected 403 is one line with no
traceback (config/log_filters.py), and a page that works writes nothing at WARNING or above."""

import logging

import pytest
from django.urls import reverse

from audits.models import AuditRound


def test_an_expected_refusal_is_one_line_without_a_traceback(client, administrator, open_case, caplog):
    client.force_login(administrator)
    page = reverse("audits:case-identifiers", args=[open_case.round.pk, open_case.number])
    with caplog.at_level(logging.INFO):
        assert client.get(page).status_code == 403
    (line,) = [record for record in caplog.records if record.name == "django.request"]
    assert line.levelno == logging.WARNING
    assert line.getMessage() == f"Forbidden (Permission denied): {page}"
    assert line.exc_info is None
    assert "Traceback" not in caplog.text


def test_an_unexpected_error_keeps_its_traceback(caplog):
    # The filter takes the traceback off PermissionDenied only.
    logger = logging.getLogger("django.request")
    try:
        raise ValueError("not expected")
    except ValueError:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            logger.error("Internal Server Error: /", exc_info=True)
    assert "Traceback" in caplog.text


@pytest.mark.parametrize("status", ["planning", "open"])
def test_the_round_edit_page_writes_nothing_to_the_log(client, coordinator, case, status, caplog):
    # An opened round's form has no template field: the form's layout must not still name it.
    AuditRound.objects.filter(pk=case.round_id).update(status=status)
    client.force_login(coordinator)
    with caplog.at_level(logging.WARNING):
        response = client.get(reverse("audits:round-edit", args=[case.round_id]))
    assert response.status_code == 200
    assert caplog.records == []
    assert ("tool_template" in response.context["form"].fields) is (status == "planning")
