"""The API docs in a real browser: Swagger UI starts under our Content-Security-Policy and
loads nothing from outside our server."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# drf-spectacular's swagger_ui.html has a small inline <style> (box-sizing, background); our
# override at sameboat/templates/drf_spectacular/swagger_ui.html gives it the response's CSP
# nonce, so it applies and nothing is refused.


@pytest.fixture
def docs(browser: Any, live_server: Any) -> Iterator[dict[str, Any]]:
    page = browser.new_page()
    seen: dict[str, Any] = {"csp": [], "requests": [], "page": page}
    page.on(
        "console",
        lambda message: (
            seen["csp"].append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.goto(live_server.url + "/api/docs/")
    page.locator(".opblock").first.wait_for(timeout=15_000)
    yield seen
    page.close()


def test_swagger_ui_shows_the_api_from_our_own_server(
    docs: dict[str, Any], live_server: Any
) -> None:
    assert docs["page"].locator(".opblock").count() > 30
    ours = urlsplit(live_server.url).netloc
    assert {urlsplit(url).netloc for url in docs["requests"]} == {ours}
    # The nonced inline style applied: the page's background is its #fafafa.
    background = docs["page"].evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(250, 250, 250)"


def test_swagger_ui_breaks_no_part_of_the_policy(docs: dict[str, Any]) -> None:
    assert docs["csp"] == []
