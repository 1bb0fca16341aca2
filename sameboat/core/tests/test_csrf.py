"""Cross-site request forgery (ASVS 4.2.2, 13.2.3), with Django's test client checking the
token as a browser's request would be checked (the client skips the check unless told):

- a page's form sent without the token is refused (403) and writes nothing; with the token the
  page's own form carries, it goes through;
- the API, called with the session cookie a browser would send along, is held to the same
  token; called with an API token (no cookie a forged page could borrow), it is not.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import PASSWORD
from sameboat.aid.models import Ask, Urgency, Visibility
from sameboat.networks.models import Category, Member

ASK_PAGE = reverse("aid:ask_create", kwargs={"network": "riverside"})
ASK_API = reverse("api-ask-list", kwargs={"network_slug": "riverside"})
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def ask_form(food: Category) -> dict[str, object]:
    return {
        "title": "A lift to the clinic",
        "category": food.pk,
        "urgency": Urgency.HIGH,
        "details": "Tuesday morning",
        "visibility": Visibility.NETWORK,
    }


def token_in_page(client: Client, url: str) -> str:
    """The token a page's form carries (the cookie behind it is set by the same answer)."""
    page = client.get(url)
    assert page.status_code == 200
    found = TOKEN_FIELD.search(page.content.decode())
    assert found, "the form carries no CSRF token"
    return found.group(1)


@pytest.fixture
def browser(member: Member) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    return client


def test_a_page_post_without_the_token_is_refused_and_writes_nothing(
    browser: Client, food: Category
) -> None:
    token_in_page(browser, ASK_PAGE)  # the cookie is there, as in a browser; the field is not
    response = browser.post(ASK_PAGE, ask_form(food))
    assert response.status_code == 403
    assert not Ask.objects.exists()


def test_a_page_post_with_a_wrong_token_is_refused(browser: Client, food: Category) -> None:
    token_in_page(browser, ASK_PAGE)
    response = browser.post(ASK_PAGE, {**ask_form(food), "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert not Ask.objects.exists()


def test_a_page_post_with_the_token_goes_through(
    browser: Client, member: Member, food: Category
) -> None:
    token = token_in_page(browser, ASK_PAGE)
    response = browser.post(ASK_PAGE, {**ask_form(food), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Ask.objects.get().member == member


def test_htmx_sends_the_token_as_a_header(browser: Client, food: Category) -> None:
    token = token_in_page(browser, ASK_PAGE)
    response = browser.post(ASK_PAGE, ask_form(food), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302
    assert Ask.objects.count() == 1


def test_the_login_form_is_protected_too(member: Member) -> None:
    """A forged login would sign the victim in as the attacker (login CSRF)."""
    client = Client(enforce_csrf_checks=True)
    login = reverse("account_login")
    response = client.post(login, {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def session_api(member: Member) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member.user)  # a real session cookie, as a browser holds
    return client


def test_an_api_write_with_the_session_and_no_token_is_refused(
    member: Member, food: Category
) -> None:
    response = session_api(member).post(ASK_API, ask_form(food), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Ask.objects.exists()


def test_an_api_write_with_the_session_and_the_token_goes_through(
    member: Member, food: Category
) -> None:
    client = session_api(member)
    token = token_in_page(client, ASK_PAGE)
    response = client.post(ASK_API, ask_form(food), format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.json()
    assert Ask.objects.get().member == member


def test_an_api_write_with_an_api_token_needs_no_csrf_token(member: Member, food: Category) -> None:
    client = APIClient(enforce_csrf_checks=True)
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(ASK_API, ask_form(food), format="json")
    assert response.status_code == 201, response.json()
    assert Ask.objects.get().member == member


def test_an_api_read_with_the_session_needs_no_token(member: Member, food: Category) -> None:
    """Reads change nothing, so a forged one gains nothing (and the page may read freely)."""
    assert session_api(member).get(ASK_API).status_code == 200
