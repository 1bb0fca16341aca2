"""Every page and endpoint sends the security headers, and its Content-Security-Policy is
strict: scripts and styles from our own server, inline ones only with the response's nonce, no
'unsafe-inline' or 'unsafe-eval' anywhere, no plugins, no framing. The map's tile server is
allowed on the directory search page alone.

Two walks: every URL of the permission-table scenario, fetched as an admin (who reaches the
most) and anonymously, with its headers checked and its HTML parsed for inline script, inline
style, style="" attributes and on* handlers; and every template in the project, read as text,
for the same (a template not reached by the walk still may not carry any)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sameboat.core.headers import SecurityHeadersMiddleware
from sameboat.core.tests.test_permission_table import (  # noqa: F401 - `scenario` is a fixture
    kwargs_for,
    scenario,
    url_names,
)
from sameboat.directory.views_search import TILE_HOST
from sameboat.networks.models import Member

EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction"}
# The one page allowed something from outside: the directory search's map tiles, as images.
OUTSIDE_HOSTS = {"directory:search": TILE_HOST}


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: inline <script>/<style> without the response's
    nonce, style="" attributes, on* event handlers, javascript: links, htmx's hx-on."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        nonced = self.nonce is not None and named.get("nonce") == self.nonce
        inline_script = "src" not in named and named.get("type") not in DATA_SCRIPT_TYPES
        if tag == "script" and inline_script and not nonced:
            self.problems.append(f"inline <script> without the nonce: {named}")
        if tag == "style" and not nonced:
            self.problems.append("inline <style> without the nonce")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            elif re.fullmatch(r"on[a-z]+", name) or name.startswith(("hx-on", "data-hx-on")):
                self.problems.append(f"<{tag} {name}=...>")
            elif name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")


def check_response(name: str, response) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    for header, value in EVERYWHERE.items():
        if response.headers.get(header) != value:
            problems.append(f"{header}: {response.headers.get(header)!r}")
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        if feature not in permissions:
            problems.append(f"Permissions-Policy lacks {feature}")
    policy = response.headers.get("Content-Security-Policy")
    if policy is None:
        return [*problems, "no Content-Security-Policy"]
    found = directives(policy)
    if "'unsafe-inline'" in policy or "'unsafe-eval'" in policy:
        problems.append(f"unsafe source in {policy}")
    for directive, expected in (
        ("default-src", "'self'"),
        ("object-src", "'none'"),
        ("frame-ancestors", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'self'"),
    ):
        if found.get(directive) != [expected]:
            problems.append(f"{directive} is {found.get(directive)}")
    for directive in ("script-src", "style-src"):
        sources = found.get(directive, [])
        if (
            not sources
            or sources[0] != "'self'"
            or any(not (s == "'self'" or s.startswith("'nonce-")) for s in sources)
        ):
            problems.append(f"{directive} is {sources}")
    outside = sorted(
        {source for sources in found.values() for source in sources if "://" in source}
    )
    allowed = [OUTSIDE_HOSTS[name]] if name in OUTSIDE_HOSTS else []
    if not set(outside) <= set(allowed):
        problems.append(f"outside hosts {outside}, allowed {allowed}")
    if outside and found.get("img-src") != ["'self'", "data:", *allowed]:
        problems.append(f"outside hosts beyond img-src: {found}")
    nonces = [
        s[len("'nonce-") : -1] for s in found.get("script-src", []) if s.startswith("'nonce-")
    ]
    if response.headers.get("Content-Type", "").startswith("text/html"):
        parser = InlineCode(nonces[0] if nonces else None)
        parser.feed(response.content.decode())
        problems += parser.problems
    return problems


def test_every_url_sends_the_headers_and_a_strict_policy(scenario: dict) -> None:  # noqa: F811
    admin = scenario["visitors"]["admin"]
    visitors = {"admin": Client(), "anonymous": Client()}
    visitors["admin"].force_login(admin.user)
    problems: dict[str, list[str]] = {}
    pages = 0
    for name, kwarg_names in sorted(url_names().items()):
        if name.startswith("admin:") and name != "admin:login":
            continue
        url = reverse(name, kwargs=kwargs_for(name, kwarg_names, scenario["values"]))
        for who, client in visitors.items():
            response = client.get(url)
            if response.status_code == 200 and response.headers.get("Content-Type", "").startswith(
                "text/html"
            ):
                pages += 1
            found = check_response(name, response)
            if found:
                problems[f"{name} ({who}, {response.status_code})"] = found
    assert not problems, "\n".join(f"{page}: {found}" for page, found in problems.items())
    assert pages > 60, "the walk should have rendered most pages"


def test_the_search_page_alone_may_show_map_tiles(scenario: dict) -> None:  # noqa: F811
    client = Client()
    client.force_login(scenario["visitors"]["member"].user)
    network = scenario["values"]["network"]
    search = client.get(reverse("directory:search", kwargs={"network": network}))
    assert TILE_HOST in search.headers["Content-Security-Policy"]
    home = client.get(reverse("directory:home", kwargs={"network": network}))
    assert TILE_HOST not in home.headers["Content-Security-Policy"]


def test_an_inline_script_carries_the_nonce_of_its_own_response(db: None) -> None:
    """The API docs' inline style is nonced: the nonce is the header's, and new each time."""
    seen = []
    for _ in range(2):
        response = Client().get(reverse("api-docs"))
        policy = directives(response.headers["Content-Security-Policy"])
        nonce = next(s for s in policy["style-src"] if s.startswith("'nonce-"))[7:-1]
        assert f'<style nonce="{nonce}">' in response.content.decode()
        seen.append(nonce)
    assert seen[0] != seen[1]
    assert len(seen[0]) >= 16


def test_static_files_get_the_headers_too(db: None) -> None:
    response = Client().get(static("sameboat/sameboat.css"))
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


TEMPLATE_RULES = [
    (
        re.compile(
            r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")"
            r"(?![^>]*nonce=\"\{\{ ?csp_nonce ?\}\}\")[^>]*>",
            re.IGNORECASE,
        ),
        'inline <script> without nonce="{{ csp_nonce }}"',
    ),
    (
        re.compile(r"<style\b(?![^>]*nonce=\"\{\{ ?csp_nonce ?\}\}\")[^>]*>", re.IGNORECASE),
        'inline <style> without nonce="{{ csp_nonce }}"',
    ),
    (re.compile(r"<[a-z][^>]*\sstyle=", re.IGNORECASE), 'a style="" attribute'),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE), "an on* event handler"),
    (re.compile(r"<[a-z][^>]*\s(?:data-)?hx-on", re.IGNORECASE), "an hx-on handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def project_templates() -> list[Path]:
    root = Path(settings.BASE_DIR) / "sameboat"
    return sorted(path for path in root.rglob("templates/**/*.html"))


# Django's {# #} comments end on their line (a longer one is printed as text); {% comment %}
# blocks may span lines.
COMMENTS = re.compile(r"\{#[^\n]*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_template_has_inline_code_without_the_nonce() -> None:
    templates = project_templates()
    assert len(templates) > 50
    problems = [
        f"{path.relative_to(settings.BASE_DIR)}: {label}"
        for path in templates
        for pattern, label in TEMPLATE_RULES
        if pattern.search(COMMENTS.sub("", path.read_text()))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("<script>alert(1)</script>", True),
        ('<script nonce="{{ csp_nonce }}">go()</script>', False),
        ('<script src="/static/x.js"></script>', False),
        ('{{ data|json_script:"x" }}<script type="application/json">{}</script>', False),
        ("<style>p{}</style>", True),
        ('<p style="color:red">', True),
        ('<button onclick="go()">', True),
        ('<a href="javascript:go()">', True),
        ('<p class="ok">', False),
    ],
)
def test_the_template_rules_catch_what_they_should(source: str, caught: bool) -> None:
    assert any(pattern.search(source) for pattern, _label in TEMPLATE_RULES) is caught


def test_only_real_template_comments_are_skipped() -> None:
    assert "<style>" not in COMMENTS.sub("", "{# a <style> here #}")
    assert "<style>" not in COMMENTS.sub("", "{% comment %}a\n<style>{% endcomment %}")
    # Django prints a {# #} that spans lines as text: it is no comment, and is read.
    assert "<style>" in COMMENTS.sub("", "{# a\n<style> #}")


# --- Private pages stay out of the browser's cache (ASVS 8.2.1) ------------------------------


def test_a_signed_in_page_is_not_kept_by_the_browser(member: Member) -> None:
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control, cache_control
    assert "private" in cache_control
    # Nothing to clear on an ordinary page.
    assert "Clear-Site-Data" not in response.headers


def test_an_api_answer_to_a_token_is_not_kept_either(member: Member) -> None:
    token, _created = Token.objects.get_or_create(user=member.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(reverse("api-network-list"))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_public_pages_and_static_files_may_be_cached(member: Member) -> None:
    """A visitor's page holds nothing private; a static file is the same for everyone, even
    fetched by someone signed in."""
    assert "Cache-Control" not in Client().get(reverse("core:home")).headers
    client = Client()
    client.force_login(member.user)
    response = client.get(static("sameboat/sameboat.css"))
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_view_that_chose_its_own_cache_control_keeps_it(member: Member) -> None:
    def chosen(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response["Cache-Control"] = "private, max-age=60"
        return response

    def plain(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = member.user
    assert SecurityHeadersMiddleware(chosen)(request)["Cache-Control"] == "private, max-age=60"
    assert "no-store" in SecurityHeadersMiddleware(plain)(request)["Cache-Control"]


def test_logging_out_clears_what_the_browser_kept_of_the_site(member: Member) -> None:
    client = Client()
    client.force_login(member.user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response.headers["Cache-Control"]
    # Logged out: the next page is a visitor's, and clears nothing more.
    after = client.get(reverse("core:home"))
    assert after.status_code == 200
    assert "Clear-Site-Data" not in after.headers
    assert "no-store" not in after.headers.get("Cache-Control", "")


def test_a_logout_page_shown_but_not_sent_clears_nothing(member: Member) -> None:
    """Only a logout that happened clears the site: the confirmation page alone does not."""
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("account_logout"))
    assert "Clear-Site-Data" not in response.headers
