"""The OpenAPI schema and its docs page: served by our own server, from our own files."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient


class References(HTMLParser):
    """Every URL a page makes the browser load, and whether it has inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for attribute in ("src", "href"):
            if values.get(attribute):
                self.urls.append(str(values[attribute]))
        self._in_script_without_src = tag == "script" and not values.get("src")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_without_src = False

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1


def test_schema_is_served_to_anyone_and_lists_the_api(db: None) -> None:
    response = APIClient().get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Sameboat API"
    paths = schema["paths"]
    assert "/api/v1/auth/token/" in paths
    assert "/api/v1/networks/{network_slug}/matches/{id}/complete/" in paths
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth", "tokenAuth"}


def test_schema_generates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.stat().st_size > 0


def test_docs_page_references_only_our_own_static_files(db: None) -> None:
    client = APIClient()
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = References()
    page.feed(response.content.decode())
    assert page.urls, "the docs page loads nothing?"
    assert page.inline_scripts == 0  # script-src 'self' would refuse them
    for url in page.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is not one of our files"
        else:
            assert client.get(url).status_code == 200, url


def test_docs_start_up_script_is_a_file_of_its_own(db: None) -> None:
    response = APIClient().get(reverse("api-docs") + "?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in response.content.decode()
    assert not re.search(r"https?://", response.content.decode())


@pytest.mark.parametrize("name", ["api-schema", "api-docs"])
def test_schema_and_docs_are_sent_under_our_content_security_policy(db: None, name: str) -> None:
    response = APIClient().get(reverse(name))
    assert "default-src 'self'" in response["Content-Security-Policy"]
