"""Bad search input gets a 400 and a message on the form saying what is wrong; never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

URL = "/n/riverside/directory/search/"


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"age": "-1"}, "age", "greater than or equal to 0"),
        ({"age": "old"}, "age", "Enter a whole number"),
        ({"age": "500"}, "age", "less than or equal to 130"),
        ({"within_km": "7"}, "within_km", "Select a valid choice"),
        ({"within_km": "5"}, "within_km", "We do not know your area"),
        ({"term": "not-a-term"}, "term", "Select a valid choice"),
        ({"language": "xx"}, "language", "Select a valid choice"),
        ({"q": "a " * 11}, "q", "at most 10 words"),
        ({"q": "x" * 201}, "q", "at most 200 characters"),
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"page": "last"}, "page", "Enter a whole number"),
    ],
)
def test_bad_filters_are_named_and_answered_400(imported, member, params, field, says):
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("directory:search", kwargs={"network": "riverside"}), params)
    assert response.status_code == 400
    assert says in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "We could not search with these filters" in page
    assert says.replace("'", "&#x27;") in page
    assert "hits" not in response.context


def test_a_page_beyond_the_last_shows_the_last(imported, member):
    client = Client()
    client.force_login(member.user)
    response = client.get(URL, {"page": "99"})
    assert response.status_code == 200
    assert response.context["page"].number == 1
