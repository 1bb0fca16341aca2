"""Every URL pattern, walked with each of six kinds of visitor, answers as the table says.

A new URL without an entry in `permission_table.EXPECTED` fails this test: whoever adds a
page or an endpoint must decide, in one reviewed place, who may reach it.

The scenario: a network with an ask, an offer and a match between two members (`author`
and `partner`), none of whom is the visiting member, facilitator, coordinator or admin;
the outsider coordinates another network. So a plain visiting member sees the network's
open asks but not the match of two other people, which only coordinators may see.

Groups: a confidential group (a counsellor facilitates it, `author` belongs) and an open one
(`partner` belongs); no visitor is in either. Group URLs take the confidential group, whose
rules are the strictest: a coordinator sees that it exists and its size, nobody else in the
network sees it at all. It has one meeting, which only its members may see.
"""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sameboat.core.tests import scenario_parts
from sameboat.core.tests.api_world import build_scenario
from sameboat.core.tests.permission_table import ADMIN_DEFAULT, EXPECTED, VISITORS
from sameboat.networks.models import Role


def walk(patterns: list, namespace: str = "") -> Iterator[tuple[str, frozenset[str]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            outer_kwargs = _kwargs_of(entry)
            for name, kwargs in walk(entry.url_patterns, inner):
                yield name, kwargs | outer_kwargs
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                # Django's admin keeps one unnamed pattern, a redirect from its old object
                # URLs to the named change page; anything else must be named to be listed.
                if namespace == "admin:":
                    continue
                raise AssertionError(f"URL pattern {entry.pattern} has no name")
            yield f"{namespace}{entry.name}", _kwargs_of(entry)


def _kwargs_of(entry: URLPattern | URLResolver) -> frozenset[str]:
    pattern = entry.pattern
    if hasattr(pattern, "converters") and pattern.converters:
        return frozenset(pattern.converters)
    regex = getattr(pattern, "regex", None)
    return frozenset(regex.groupindex) if regex is not None else frozenset()


def url_names() -> dict[str, frozenset[str]]:
    names: dict[str, frozenset[str]] = {}
    for name, kwargs in walk(get_resolver().url_patterns):
        kwargs = kwargs - {"format"}  # DRF's format-suffix twins answer like the originals
        names.setdefault(name, kwargs)
    return names


@pytest.fixture
def scenario(network, make_member, coordinator, outsider):
    built = build_scenario(
        network,
        coordinator=coordinator,
        new_member=lambda name, role: make_member(role, display_name=name),
    )
    visitors = {
        "anonymous": None,
        "outsider": outsider,
        "member": make_member(Role.MEMBER),
        "facilitator": make_member(Role.FACILITATOR),
        "coordinator": coordinator,
        "admin": make_member(Role.ADMIN),
    }
    return {"visitors": visitors, "values": built.values}


def kwargs_for(name: str, kwarg_names: frozenset[str], values: dict) -> dict[str, object]:
    """Fill a URL's parameters from the scenario, choosing the object by the URL's name."""
    kwargs: dict[str, object] = {}
    for kwarg in kwarg_names:
        if kwarg in ("network", "network_slug", "slug"):
            kwargs[kwarg] = values["network"]
        elif kwarg in ("member_id",):
            kwargs[kwarg] = values["member"]
        elif kwarg == "group_id":
            kwargs[kwarg] = values["group"]
        elif kwarg == "meeting_id":
            kwargs[kwarg] = values["meeting"]
        elif kwarg == "area_id":
            kwargs[kwarg] = values["area"]
        elif kwarg == "token":
            kwargs[kwarg] = values["token"]
        elif kwarg in values:
            kwargs[kwarg] = values[kwarg]
        elif kwarg in ("pk", "id"):
            # Most specific first: "matching-proposal" is a proposal, not a match.
            # And "api-group-members" is a group.
            kinds = (
                *scenario_parts.PK_KINDS,
                "group",
                "proposal",
                "run",
                "ask",
                "offer",
                "exchange",
                "member",
                "match",
            )
            kind = next((k for k in kinds if k in name), None)
            assert kind is not None, f"cannot tell which object {name} takes"
            kwargs[kwarg] = values[kind]
        elif kwarg in ("uidb36", "key", "object_id", "content_type_id", "app_label", "url"):
            kwargs[kwarg] = {"app_label": "auth", "content_type_id": "1"}.get(kwarg, "1")
        else:
            raise AssertionError(f"{name}: no scenario value for parameter {kwarg!r}")
    return kwargs


def observe(scenario: dict) -> dict[str, tuple[int, ...]]:
    observed: dict[str, tuple[int, ...]] = {}
    for name, kwarg_names in sorted(url_names().items()):
        url = reverse(name, kwargs=kwargs_for(name, kwarg_names, scenario["values"]))
        statuses = []
        for visitor in VISITORS:
            client = Client()
            member = scenario["visitors"][visitor]
            if member is not None:
                client.force_login(member.user)
            response = client.get(url)
            statuses.append(response.status_code)
            # Whatever a signed-in visitor is answered, a shared computer's browser must not
            # keep it (ASVS 8.2.1; sameboat.core.headers).
            if member is not None:
                cache_control = response.get("Cache-Control", "")
                assert "no-store" in cache_control, f"{name} as {visitor}: {cache_control!r}"
        observed[name] = tuple(statuses)
    return observed


def test_every_url_has_an_entry(db):
    missing = sorted(
        name for name in url_names() if name not in EXPECTED and not name.startswith("admin:")
    )
    assert not missing, f"URLs without a permission table entry: {missing}"
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert not stale, f"Table entries for URLs that no longer exist: {stale}"


def test_every_url_answers_each_visitor_as_the_table_says(scenario):
    observed = observe(scenario)
    wrong = {
        name: {"expected": EXPECTED.get(name, ADMIN_DEFAULT), "observed": statuses}
        for name, statuses in observed.items()
        if statuses != EXPECTED.get(name, ADMIN_DEFAULT if name.startswith("admin:") else None)
    }
    assert not wrong, (
        "Visitors: "
        + ", ".join(VISITORS)
        + "\n"
        + "\n".join(
            f"{name}: expected {rows['expected']}, got {rows['observed']}"
            for name, rows in sorted(wrong.items())
        )
    )
