"""A server error shows a page with an error id and nothing of what failed, and the same id is
logged with the traceback, so that support can find the failure from what the person tells
them (ASVS 7.4.1).

This module is also the test's URLconf: the site's own URLs, its handler500, and one view
that fails."""

import logging
import re
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.utils import translation

from sameboat.core.tests.test_security_headers import InlineCode
from sameboat.urls import handler500

SECRET_DETAIL = "the-database-password-is-hunter2"


class Boom(Exception):
    pass


def boom(request: HttpRequest) -> HttpResponse:
    raise Boom(SECRET_DETAIL)


urlpatterns = [
    path("boom/", boom),
    path("", include("sameboat.urls")),
]

ERROR_ID = re.compile(r'<code id="error-id">([0-9a-f]{32})</code>')


@pytest.fixture
def failing_client(db: None) -> Iterator[Client]:
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
        yield Client(raise_request_exception=False)


def test_the_site_uses_our_error_view() -> None:
    assert handler500 == "sameboat.core.views.server_error"


def test_a_failure_shows_an_id_that_is_logged_with_the_traceback(
    failing_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="sameboat.errors"):
        response = failing_client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    found = ERROR_ID.search(page)
    assert found, page
    error_id = found.group(1)
    assert "Something went wrong" in page
    # Nothing of the failure itself reaches the page.
    assert SECRET_DETAIL not in page
    assert "Boom" not in page
    assert "Traceback" not in page

    logged = [record for record in caplog.records if record.name == "sameboat.errors"]
    assert len(logged) == 1
    record = logged[0]
    assert error_id in record.getMessage()
    assert record.error_id == error_id  # type: ignore[attr-defined]
    assert record.exc_info is not None
    assert record.exc_info[0] is Boom
    assert SECRET_DETAIL in caplog.text  # the traceback, with the exception, is in the log


def test_each_failure_gets_its_own_id(failing_client: Client) -> None:
    ids = {ERROR_ID.search(failing_client.get("/boom/").content.decode()).group(1) for _ in "ab"}  # type: ignore[union-attr]
    assert len(ids) == 2


def test_the_error_page_is_translated_and_keeps_to_the_policy(failing_client: Client) -> None:
    with translation.override("es"):
        response = failing_client.get("/boom/", headers={"accept-language": "es"})
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert ERROR_ID.search(page)
    # No inline script or style: the strict Content-Security-Policy holds on the error page.
    assert "Content-Security-Policy" in response.headers
    checker = InlineCode(None)
    checker.feed(page)
    assert checker.problems == []
    assert 'href="/static/sameboat/sameboat.css"' in page
