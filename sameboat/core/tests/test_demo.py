"""The demo network: built through the services, believable, sound, the same every time, and
built only once. And the large benchmark network's builder, at a tiny scale."""

from collections.abc import Iterable, Iterator
from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Match, MatchStatus, Offer, Visibility
from sameboat.demo import DEMO_PASSWORD, LARGE_SLUG, build_demo, build_large
from sameboat.directory.models import (
    Organization,
    Partnership,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Service,
)
from sameboat.directory.referral_selectors import partnerships_split, referral_report
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.verify import ledger_problems
from sameboat.networks.models import AreaKind, Category, Member, Network, Role, ServiceArea
from sameboat.networks.services import network_create

DEMO_EMAILS = [
    "coordinator@example.org",
    "facilitator@example.org",
    "admin@example.org",
    *(f"member{n}@example.org" for n in range(1, 61)),
]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Network]:
    """The demo, built once for this module (it takes seconds) inside a transaction that is
    rolled back afterwards, so other tests never see it. Each test still runs in its own
    savepoint through the `db` fixture."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        yield Network.objects.get(slug="riverside")
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = [User, Member, ServiceArea, Category, Ask, Offer, Match, Exchange, Entry, Account]
    models += [Referral, ReferralEvent, Partnership]
    return {model.__name__: model.objects.count() for model in models}


def rows(values: Iterable[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return sorted(values, key=repr)  # some values are None, which cannot be compared


def fingerprint(network: Network) -> dict[str, list[tuple[object, ...]]]:
    """What a network holds, without ids or moments, to compare two builds."""
    return {
        "members": rows(
            Member.objects.filter(network=network).values_list(
                "user__email", "role", "service_area__name", "user__contact_preference"
            )
        ),
        "asks": rows(
            Ask.objects.filter(network=network).values_list(
                "title", "member__user__email", "status", "urgency", "visibility", "area__name"
            )
        ),
        "offers": rows(
            Offer.objects.filter(network=network).values_list(
                "title", "member__user__email", "status"
            )
        ),
        "matches": rows(
            Match.objects.filter(network=network).values_list(
                "ask__title",
                "offer__title",
                "helper__user__email",
                "receiver__user__email",
                "status",
                "hours",
            )
        ),
        "exchanges": rows(
            Exchange.objects.filter(network=network).values_list(
                "provider__user__email", "receiver__user__email", "amount", "memo"
            )
        ),
        "referrals": rows(
            Referral.objects.filter(network=network).values_list(
                "service__name",
                "member__user__email",
                "referred_by__user__email",
                "status",
                "reason",
                "reason_note",
                "stage",
                "follow_up_on",
            )
        ),
        "partnerships": rows(
            Partnership.objects.filter(network=network).values_list(
                "organization__name", "contact_name", "starts_on", "ends_on", "partner_brings"
            )
        ),
    }


def test_demo_has_sixty_members_and_a_coordinator_facilitator_and_admin(
    demo: Network, db: None
) -> None:
    members = Member.objects.filter(network=demo)
    assert sorted(members.values_list("user__email", flat=True)) == sorted(DEMO_EMAILS)
    roles = dict(members.values_list("user__email", "role"))
    assert roles["coordinator@example.org"] == Role.COORDINATOR
    assert roles["facilitator@example.org"] == Role.FACILITATOR
    assert roles["admin@example.org"] == Role.ADMIN
    assert all(roles[f"member{n}@example.org"] == Role.MEMBER for n in range(1, 61))


@pytest.mark.parametrize(
    "email", ["coordinator@example.org", "facilitator@example.org", "admin@example.org",
              "member1@example.org", "member60@example.org"],
)  # fmt: skip
def test_each_demo_login_works_with_the_documented_password(
    demo: Network, db: None, email: str
) -> None:
    user = authenticate(email=email, password=DEMO_PASSWORD)
    assert user is not None and user.email == email
    assert authenticate(email=email, password="wrong-password") is None


def test_demo_people_speak_many_languages_and_say_what_they_can_do(demo: Network, db: None) -> None:
    members = Member.objects.filter(network=demo).select_related("user")
    spoken = set(members.values_list("user__languages__code", flat=True))
    assert {"so", "es", "uk", "vi", "ar", "ta", "en"} <= spoken
    assert len(spoken) >= 20
    for member in members:
        assert member.user.display_name and member.user.strengths
        assert member.helps_with.exists(), member
    assert members.filter(service_area__isnull=False).count() >= 55


def test_demo_areas_are_a_city_of_neighbourhoods_of_blocks(demo: Network, db: None) -> None:
    areas = ServiceArea.objects.filter(network=demo)
    city = areas.get(kind=AreaKind.CITY)
    hoods = areas.filter(kind=AreaKind.NEIGHBOURHOOD)
    assert city.parent is None
    assert 5 <= hoods.count() <= 6
    assert all(hood.parent_id == city.pk for hood in hoods)
    for hood in hoods:
        assert areas.filter(kind=AreaKind.BLOCK, parent=hood).count() >= 2


def test_demo_has_two_hundred_asks_and_offers_across_every_top_level_category(
    demo: Network, db: None
) -> None:
    asks, offers = Ask.objects.filter(network=demo), Offer.objects.filter(network=demo)
    assert asks.count() + offers.count() >= 200
    top_level = set(
        Category.objects.filter(network=demo, parent=None).values_list("slug", flat=True)
    )
    assert len(top_level) == 12
    for posts in (asks, offers):
        used = {
            parent or slug
            for slug, parent in posts.values_list("category__slug", "category__parent__slug")
        }
        assert used == top_level


def test_demo_has_private_asks_dated_windows_ongoing_posts_and_every_urgency(
    demo: Network, db: None
) -> None:
    asks = Ask.objects.filter(network=demo)
    assert asks.filter(visibility=Visibility.COORDINATORS).count() >= 5
    assert asks.filter(starts_on__isnull=False, ends_on__isnull=False).count() >= 10
    assert asks.filter(starts_on__isnull=True, ends_on__isnull=True).count() >= 50
    assert set(asks.values_list("urgency", flat=True)) == {1, 2, 3, 4}
    assert asks.filter(languages__isnull=False).exists()


def test_demo_has_matches_in_every_state(demo: Network, db: None) -> None:
    states = set(Match.objects.filter(network=demo).values_list("status", flat=True))
    assert states == set(MatchStatus.values)


def test_most_demo_members_both_gave_and_received(demo: Network, db: None) -> None:
    exchanges = Exchange.objects.filter(network=demo, reverses=None)
    assert exchanges.filter(match__status=MatchStatus.COMPLETED).count() >= 50
    gave = set(exchanges.values_list("provider_id", flat=True))
    received = set(exchanges.values_list("receiver_id", flat=True))
    members = Member.objects.filter(network=demo).count()
    assert len(gave & received) >= 0.8 * members


def test_demo_ledger_holds_every_invariant_and_shows_corrections(demo: Network, db: None) -> None:
    assert list(ledger_problems()) == []
    assert Exchange.objects.filter(network=demo, reverses__isnull=False).count() >= 2


def test_demo_history_spreads_over_the_past_three_months(demo: Network, db: None) -> None:
    now = timezone.now()
    for model in (Ask, Offer, Match, Exchange):
        span = model.objects.filter(network=demo).aggregate(
            first=Min("created_at"), last=Max("created_at")
        )
        assert span["first"] < now - timedelta(days=60), model
        assert span["last"] < now, model
    # Every exchange comes after the match it completes.
    late = Exchange.objects.filter(network=demo, match__isnull=False).values_list(
        "created_at", "match__created_at"
    )
    assert all(posted > matched for posted, matched in late)


def test_demo_referrals_are_in_every_state_by_members_facilitators_and_the_coordinator(
    demo: Network, db: None
) -> None:
    referrals = list(
        Referral.objects.filter(network=demo)
        .select_related("member", "referred_by", "service")
        .prefetch_related("events")
    )
    assert len(referrals) >= 12
    assert {referral.status for referral in referrals} == set(ReferralStatus.values)
    # Made by members for themselves, by the facilitator and by the coordinator.
    referrers = {
        "self" if r.referred_by_id == r.member_id else r.referred_by.role
        for r in referrals
        if r.referred_by is not None
    }
    assert referrers == {"self", Role.FACILITATOR, Role.COORDINATOR}
    # To the sample directory's services, most of them.
    services = set(Service.objects.filter(network=demo).values_list("pk", flat=True))
    assert all(r.service_id in services for r in referrals)
    assert len({r.service_id for r in referrals}) >= 5
    # Every "did not get help" says why, with reasons of several kinds.
    no_help = [r for r in referrals if r.status == ReferralStatus.DID_NOT_GET_HELP]
    assert all(r.reason and r.reason_note for r in no_help)
    assert len({r.reason for r in no_help}) >= 6


def test_demo_referrals_have_a_history_spread_over_the_story(demo: Network, db: None) -> None:
    now = timezone.now()
    story_end = now.replace(hour=0, minute=0, second=0, microsecond=0)
    referrals = Referral.objects.filter(network=demo).prefetch_related("events")
    span = referrals.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["first"] < now - timedelta(days=60) and span["last"] < story_end
    corrected = 0
    for referral in referrals:
        events = list(referral.events.all())
        # Made first, each step later than the one before, ending at the referral's status.
        assert events[0].status == ReferralStatus.MADE and events[0].by is not None
        assert events[0].at == referral.created_at
        assert all(a.at < b.at for a, b in pairwise(events))
        assert events[-1].status == referral.status and events[-1].at == referral.status_changed_at
        assert referral.stage == len(events) - 1
        statuses = [event.status for event in events]
        corrected += statuses[-2:] == [ReferralStatus.DID_NOT_GET_HELP, ReferralStatus.GOT_HELP]
        # Open referrals wait for a follow-up; closed ones do not.
        assert (referral.follow_up_on is not None) == referral.is_open
    assert corrected == 1
    today = timezone.localdate(story_end)
    due = referrals.filter(follow_up_on__lte=today).count()
    assert 1 <= due < referrals.filter(follow_up_on__isnull=False).count()
    # The report has something to show: did not get help, and no news for weeks.
    report = referral_report(network=demo, now=story_end)
    assert report.went_nowhere >= 8
    assert "No news" in {row.name for row in report.by_reason}


def test_demo_partnerships_with_the_sample_organisations(demo: Network, db: None) -> None:
    partnerships = list(Partnership.objects.filter(network=demo).select_related("organization"))
    assert len(partnerships) == 3
    organizations = set(Organization.objects.filter(network=demo).values_list("pk", flat=True))
    today = timezone.localdate()
    for partnership in partnerships:
        assert partnership.organization_id in organizations
        assert partnership.organization_name == partnership.organization.name
        assert partnership.contact_name and partnership.contact_email
        assert partnership.network_brings and partnership.partner_brings
        assert today - timedelta(days=120) <= partnership.starts_on < today
        assert partnership.created_at.date() == partnership.starts_on
    current, ended = partnerships_split(partnerships, today=today)
    assert len(current) == 2 and len(ended) == 1
    assert any(p.ends_on is None for p in current) and any(p.ends_on for p in current)


def test_a_second_demo_run_changes_nothing(demo: Network, db: None) -> None:
    before = counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts() == before
    assert "Already built" in out.getvalue()
    assert "coordinator@example.org" in out.getvalue() and DEMO_PASSWORD in out.getvalue()


def test_the_demo_is_the_same_every_time(demo: Network, db: None) -> None:
    # Set the first build aside under another short name; the people are reused by email.
    Network.objects.filter(pk=demo.pk).update(slug="riverside-first")
    second = build_demo(log=lambda line: None)
    assert second.created
    assert fingerprint(second.network) == fingerprint(demo)


def test_demo_leaves_a_network_it_did_not_build_alone(db: None) -> None:
    network_create(slug=LARGE_SLUG, name="Someone's own network")
    with pytest.raises(ValidationError, match="not made by the demo"):
        build_large(members=5, posts=5, entries=10, progress=False, log=lambda line: None)
    assert not Member.objects.filter(network__slug=LARGE_SLUG).exists()


def test_large_builder_at_a_tiny_scale_holds_every_invariant(db: None) -> None:
    built = build_large(members=50, posts=200, entries=400, progress=False, log=lambda line: None)
    network = built.network
    assert built.created
    assert Member.objects.filter(network=network).count() == 50
    assert Account.objects.filter(network=network).count() == 50
    assert (
        Ask.objects.filter(network=network).count() + Offer.objects.filter(network=network).count()
        == 200
    )
    assert Entry.objects.filter(exchange__network=network).count() == 400
    exchanges = Exchange.objects.filter(network=network)
    assert exchanges.count() == 200
    assert exchanges.filter(reverses__isnull=False).exists()
    assert exchanges.filter(match__isnull=False).exists()
    assert not exchanges.annotate(n=Count("entries")).exclude(n=2).exists()
    assert set(Match.objects.filter(network=network).values_list("status", flat=True)) >= {
        MatchStatus.COMPLETED,
        MatchStatus.ACCEPTED,
    }
    assert list(ledger_problems(network_id=network.pk)) == []
    assert list(ledger_problems()) == []


def test_large_builder_runs_once(db: None) -> None:
    first = build_large(members=20, posts=40, entries=100, progress=False, log=lambda line: None)
    before = counts()
    again = build_large(members=20, posts=40, entries=100, progress=False, log=lambda line: None)
    assert not again.created and again.entries == first.entries == 100
    assert counts() == before


def test_demo_command_builds_the_large_network_at_a_scale(db: None) -> None:
    out = StringIO()
    call_command("demo", size="large", scale=0.001, progress=False, stdout=out)
    network = Network.objects.get(slug=LARGE_SLUG)
    assert Member.objects.filter(network=network).count() == 10
    assert Entry.objects.filter(exchange__network=network).count() == 1000
    assert "large1@example.org" in out.getvalue()
    verified = StringIO()
    call_command("ledger", "verify", network=LARGE_SLUG, stdout=verified)
    assert verified.getvalue().strip() == "ledger ok: 500 exchanges, 1000 entries, 10 accounts"
