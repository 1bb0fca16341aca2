"""The availability page: each member edits their own willingness, availability and times
away; the group's facilitators also see everyone's, and edit nobody else's. Bad input is a
400 with a message and writes nothing. The group page and meeting page link to it."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sameboat.groups.models import GroupMember, RoleAssignment, Unavailability
from sameboat.groups.services import group_member_add, meeting_create, time_away_add
from sameboat.networks.models import Role


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def _url(name, group, **kwargs) -> str:
    return reverse(name, kwargs={"network": "riverside", "group_id": group.pk, **kwargs})


def _row(group, member) -> GroupMember:
    return GroupMember.objects.get(group=group, member=member)


def test_a_member_saves_their_own_willingness(confidential, insider):
    client = _client(insider)
    url = _url("groups:availability", confidential)
    page = client.get(url)
    assert page.status_code == 200
    assert "Roles you are willing to hold" in page.content.decode()
    assert "Everyone's willingness" not in page.content.decode()
    response = client.post(url, {"willing_roles": ["timekeeper", "chair"], "available": "on"})
    assert response.status_code == 302 and response.url == url
    row = _row(confidential, insider)
    assert row.willing_roles == ["chair", "timekeeper"] and row.available
    client.post(url, {"willing_roles": []})
    row.refresh_from_db()
    assert row.willing_roles == [] and not row.available


def test_a_bad_role_is_a_400_and_nothing_changes(confidential, insider):
    response = _client(insider).post(
        _url("groups:availability", confidential), {"willing_roles": ["emperor"], "available": "on"}
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert len(_row(confidential, insider).willing_roles) == 4


def test_a_member_adds_and_removes_their_times_away(confidential, insider):
    client = _client(insider)
    today = timezone.localdate()
    add = _url("groups:time_away_add", confidential)
    assert client.get(add).status_code == 405
    response = client.post(
        add,
        {
            "starts_on": (today + timedelta(days=3)).isoformat(),
            "ends_on": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    away = Unavailability.objects.get()
    assert away.member == _row(confidential, insider)
    assert (
        "Remove the time away"
        in client.get(_url("groups:availability", confidential)).content.decode()
    )
    bad = client.post(
        add, {"starts_on": today.isoformat(), "ends_on": (today - timedelta(days=1)).isoformat()}
    )
    assert bad.status_code == 400
    assert "The last day away cannot come before the first." in bad.content.decode()
    assert client.post(add, {"starts_on": "soon", "ends_on": ""}).status_code == 400
    assert Unavailability.objects.count() == 1
    remove = _url("groups:time_away_remove", confidential, time_away_id=away.pk)
    assert client.post(remove).status_code == 302
    assert not Unavailability.objects.exists()
    assert client.post(remove).status_code == 404


def test_nobody_removes_someone_elses_time_away(confidential, insider, counsellor):
    today = timezone.localdate()
    away = time_away_add(membership=_row(confidential, insider), starts_on=today, ends_on=today)
    remove = _url("groups:time_away_remove", confidential, time_away_id=away.pk)
    assert _client(counsellor).post(remove).status_code == 404
    assert Unavailability.objects.filter(pk=away.pk).exists()


def test_facilitators_see_everyone_but_change_only_their_own(confidential, insider, counsellor):
    today = timezone.localdate()
    time_away_add(
        membership=_row(confidential, insider),
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=2),
    )
    client = _client(counsellor)
    url = _url("groups:availability", confidential)
    html = client.get(url).content.decode()
    assert "Everyone's willingness" in html and "Insider Ines" in html
    # A facilitator's POST is about their own row, whatever it carries.
    client.post(url, {"willing_roles": ["chair"], "member": _row(confidential, insider).pk})
    assert _row(confidential, counsellor).willing_roles == ["chair"]
    assert len(_row(confidential, insider).willing_roles) == 4
    # And they are told when a role has nobody willing.
    assert "Nobody willing and available for" not in html
    GroupMember.objects.filter(group=confidential).update(willing_roles=["chair"])
    assert "Nobody willing and available for: Note-taker" in client.get(url).content.decode()


def test_who_is_not_in_the_group_gets_nothing(confidential, open_group, make_member, coordinator):
    stranger = make_member(Role.MEMBER)
    assert _client(stranger).get(_url("groups:availability", confidential)).status_code == 404
    assert _client(coordinator).get(_url("groups:availability", confidential)).status_code == 404
    # An open group's page is visible to the network, its availability is for its members.
    assert _client(stranger).get(_url("groups:availability", open_group)).status_code == 403
    assert _client(stranger).post(_url("groups:time_away_add", open_group)).status_code == 403


def test_the_group_and_meeting_pages_link_to_it(confidential, insider, counsellor):
    meeting = meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
    )[0]
    client = _client(insider)
    link = _url("groups:availability", confidential)
    assert link in client.get(_url("groups:detail", confidential)).content.decode()
    assert (
        link
        in client.get(_url("groups:meeting", confidential, meeting_id=meeting.pk)).content.decode()
    )


def test_a_rotation_nobody_is_willing_for_is_a_clear_400_that_changes_nothing(
    confidential, insider, counsellor, make_member
):
    group_member_add(group=confidential, member=make_member())
    meeting = meeting_create(
        group=confidential,
        by=counsellor,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Hall",
    )[0]
    facilitator = _client(counsellor)
    assign = _url("groups:meeting_roles_assign", confidential, meeting_id=meeting.pk)
    assert facilitator.post(assign).status_code == 302
    before = list(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member_id"))
    # Each member, on their own page, steps back from the timekeeper's role.
    for person in GroupMember.objects.filter(group=confidential).select_related("member__user"):
        _client(person.member).post(
            _url("groups:availability", confidential),
            {"willing_roles": ["chair", "note_taker", "check_in_host"], "available": "on"},
        )
    response = facilitator.post(assign)
    assert response.status_code == 400
    assert "Nobody who is willing to be &quot;Timekeeper&quot; is available for this meeting." in (
        response.content.decode()
    )
    after = list(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member_id"))
    assert after == before
