"""/healthz, for load balancers: no sign-in, no data; 200 "ok" when the database and the private
storage answer, 503 when either does not."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from lib.storage import private_storage


def get(client):
    return client.get("/healthz")


@pytest.mark.django_db
def test_ok_when_the_database_and_storage_answer(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = get(client)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_answers_plain_http_though_everything_else_is_sent_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    client = Client()
    assert get(client).status_code == 200
    assert client.get("/sign-in/").status_code == 301


@pytest.mark.django_db
def test_503_when_the_database_is_down(client):
    broken = mock.MagicMock()
    broken.__enter__.return_value.execute.side_effect = OperationalError("connection refused")
    with mock.patch("config.views.connection.cursor", return_value=broken):
        response = get(client)
    assert response.status_code == 503
    assert b"database" in response.content and b"refused" not in response.content


@pytest.mark.django_db
def test_503_when_the_storage_is_down(client):
    with mock.patch.object(private_storage, "exists", side_effect=OSError("no such device")):
        response = get(client)
    assert response.status_code == 503
    assert b"storage" in response.content and b"device" not in response.content


@pytest.mark.django_db
def test_with_a_bucket_ok_while_it_answers_and_503_once_it_is_gone(client, s3_storage, settings):
    assert get(client).status_code == 200
    settings.PRIVATE_STORAGE_S3 = {**settings.PRIVATE_STORAGE_S3, "endpoint_url": "http://127.0.0.1:9"}
    response = get(client)
    assert response.status_code == 503 and b"storage" in response.content
