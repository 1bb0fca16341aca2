"""Each audited act writes its event, with the right network, actor, action and target, and
nothing personal: no name, no email, no text a member wrote."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from sameboat.accounts.models import User
from sameboat.audit.models import AuditEvent
from sameboat.directory.referrals import referral_create
from sameboat.directory.tests.referral_scenario import make_service
from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.goals.services import goal_create
from sameboat.groups.models import Group, GroupType, Joining, Meeting, RoleAssignment
from sameboat.groups.services import group_create, group_member_add, meeting_create
from sameboat.matching.models import Block
from sameboat.networks.models import Member, Network, Role

LEVELS = {-2: "Never", -1: "Rarely", 0: "Weekly", 1: "Most days", 2: "Daily"}


def _client(member: Member) -> Client:
    client = Client()
    assert client.login(email=member.user.email, password=PASSWORD)
    return client


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def _personal_data(network: Network) -> list[str]:
    """Every name, email and free text the tests put in: none may reach the log."""
    people = User.objects.all()
    texts = [u.email for u in people] + [u.display_name for u in people]
    return [*texts, network.name, "Recovery circle", "Staying sober", "Get out of the house"]


@pytest.fixture(autouse=True)
def _nothing_personal_in_the_log(network: Network):
    yield
    stored = json.dumps(
        list(AuditEvent.objects.values("action", "target", "detail", "ip", "request_id")),
        default=str,
    )
    for text in _personal_data(network):
        assert text not in stored, f"{text!r} reached the audit log"


@pytest.fixture
def counsellor(make_member) -> Member:
    return make_member(Role.FACILITATOR, display_name="Counsellor Kim")


@pytest.fixture
def insider(make_member) -> Member:
    return make_member(Role.MEMBER, display_name="Insider Ines")


def _group(network: Network, by: Member, *, confidential: bool, name: str) -> Group:
    return group_create(
        network=network,
        by=by,
        fields={
            "name": name,
            "purpose": "Staying sober together",
            "type": GroupType.RECOVERY,
            "confidential": confidential,
            "joining": Joining.INVITATION,
        },
    )


@pytest.fixture
def recovery(network: Network, counsellor: Member, insider: Member) -> Group:
    group = _group(network, counsellor, confidential=True, name="Recovery circle")
    group_member_add(group=group, member=insider)
    return group


@pytest.fixture
def meeting(recovery: Group, counsellor: Member) -> Meeting:
    return meeting_create(
        group=recovery,
        by=counsellor,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        duration_minutes=60,
        place="Room 4",
    )[0]


def test_a_role_change_records_who_whom_and_from_to(
    network: Network, admin_member: Member, member: Member
) -> None:
    url = reverse("networks:member_role", kwargs={"network": network.slug, "member_id": member.pk})
    _client(admin_member).post(url, {"role": Role.COORDINATOR}, REMOTE_ADDR="198.51.100.9")
    (event,) = _events("roles.change")
    assert event.network == network and event.actor == admin_member.user
    assert event.target == f"member:{member.pk}"
    assert event.detail == {"scope": "network", "from": "member", "to": "coordinator"}
    assert event.ip == "198.51.100.0" and event.request_id  # stamped through the middleware


def test_a_refused_role_change_records_nothing(
    network: Network, coordinator: Member, member: Member
) -> None:
    url = reverse("networks:member_role", kwargs={"network": network.slug, "member_id": member.pk})
    assert _client(coordinator).post(url, {"role": Role.ADMIN}).status_code == 404
    assert not _events("roles.change")


def test_an_invitation_records_its_role_not_its_address(
    network: Network, coordinator: Member
) -> None:
    url = reverse("networks:invitations", kwargs={"network": network.slug})
    _client(coordinator).post(url, {"email": "newcomer@example.org", "role": Role.MEMBER})
    (event,) = _events("network.invite")
    assert event.actor == coordinator.user and event.target.startswith("invitation:")
    assert event.detail == {"role": "member", "addressed": True}
    assert "newcomer" not in json.dumps(event.detail)


def test_matching_settings_are_recorded(network: Network, admin_member: Member) -> None:
    url = reverse("matching:settings", kwargs={"network": network.slug})
    _client(admin_member).post(url, {"mode": "direct", "every_minutes": 60})
    (event,) = _events("network.settings")
    assert event.actor == admin_member.user and event.target == f"network:{network.pk}"
    assert event.detail == {"matching_mode": "direct", "matching_every_minutes": 60}


def test_viewing_a_confidential_group_is_recorded_an_open_one_is_not(
    network: Network, recovery: Group, counsellor: Member, insider: Member
) -> None:
    open_group = _group(network, counsellor, confidential=False, name="Food circle")
    client = _client(insider)
    group_url = "groups:detail"
    assert client.get(reverse(group_url, args=[network.slug, recovery.pk])).status_code == 200
    (event,) = _events("confidential.view")
    assert event.actor == insider.user and event.network == network
    assert event.target == f"group:{recovery.pk}" and event.detail == {"what": "group"}
    assert _client(counsellor).get(reverse(group_url, args=[network.slug, open_group.pk]))
    assert len(_events("confidential.view")) == 1


def test_a_404_records_nothing(network: Network, recovery: Group, member: Member) -> None:
    response = _client(member).get(reverse("groups:detail", args=[network.slug, recovery.pk]))
    assert response.status_code == 404
    assert not _events("confidential.view")


def test_session_records_and_check_ins_are_recorded_on_pages_and_api(
    network: Network, recovery: Group, meeting: Meeting, counsellor: Member
) -> None:
    client = _client(counsellor)
    args = {"network": network.slug, "group_id": recovery.pk}
    assert client.get(reverse("groups:meeting_record", kwargs=args | {"meeting_id": meeting.pk}))
    assert client.get(reverse("groups:records", kwargs=args)).status_code == 200
    api = {"network_slug": network.slug, "pk": recovery.pk, "meeting_id": meeting.pk}
    assert client.get(reverse("api-group-session-check-ins", kwargs=api)).status_code == 200
    # No record written yet: a 404, and nothing was read, so nothing is recorded.
    assert client.get(reverse("api-group-session-record", kwargs=api)).status_code == 404
    whats = [event.detail["what"] for event in _events("confidential.view")]
    assert whats == ["session_record", "session_records", "check_ins"]
    first = _events("confidential.view")[0]
    assert first.detail == {"what": "session_record", "meeting": meeting.pk}
    assert all(event.actor == counsellor.user for event in _events("confidential.view"))


def test_members_of_a_confidential_group_read_by_api_are_recorded(
    network: Network, recovery: Group, insider: Member
) -> None:
    url = reverse("api-group-members", kwargs={"network_slug": network.slug, "pk": recovery.pk})
    assert _client(insider).get(url).status_code == 200
    (event,) = _events("confidential.view")
    assert event.detail == {"what": "members"} and event.actor == insider.user


def test_someone_elses_personal_goal_is_recorded_ones_own_is_not(
    network: Network, recovery: Group, counsellor: Member, insider: Member
) -> None:
    goal = goal_create(
        group=recovery,
        by=insider,
        kind=GoalKind.PERSONAL,
        title="Get out of the house",
        levels=LEVELS,
        visibility=GoalVisibility.FACILITATORS,
    )
    url = reverse("goals:detail", args=[network.slug, recovery.pk, goal.pk])
    assert _client(insider).get(url).status_code == 200
    assert not _events("confidential.view")
    assert _client(counsellor).get(url).status_code == 200
    (event,) = _events("confidential.view")
    assert event.actor == counsellor.user and event.target == f"goal:{goal.pk}"
    assert event.detail == {"what": "personal_goal", "group": recovery.pk}
    api = reverse(
        "api-goal-detail",
        kwargs={"network_slug": network.slug, "group_id": recovery.pk, "pk": goal.pk},
    )
    assert _client(counsellor).get(api).status_code == 200
    assert len(_events("confidential.view")) == 2


def test_a_referral_read_by_its_referrer_is_recorded_by_its_member_is_not(
    network: Network, counsellor: Member, insider: Member
) -> None:
    referral = referral_create(
        network=network, by=counsellor, member=insider, service=make_service(network)
    )
    url = reverse("directory:referral", args=[network.slug, referral.pk])
    assert _client(insider).get(url).status_code == 200
    assert not _events("confidential.view")
    assert _client(counsellor).get(url).status_code == 200
    (event,) = _events("confidential.view")
    assert event.target == f"referral:{referral.pk}" and event.detail == {"what": "referral"}


def test_meeting_roles_and_group_membership_changes_are_recorded(
    network: Network, recovery: Group, meeting: Meeting, counsellor: Member, make_member
) -> None:
    client = _client(counsellor)
    newcomer = make_member(display_name="Newcomer Noor")
    args = {"network": network.slug, "group_id": recovery.pk}
    client.post(reverse("groups:member_add", kwargs=args), {"member": newcomer.pk})
    (added,) = _events("groups.member_add")
    assert added.detail == {"member": newcomer.pk, "role": "member"}
    assert added.actor == counsellor.user and added.target == f"group:{recovery.pk}"
    client.post(reverse("groups:meeting_roles_assign", kwargs=args | {"meeting_id": meeting.pk}))
    (change,) = _events("roles.change")
    assigned = dict(RoleAssignment.objects.filter(meeting=meeting).values_list("role", "member"))
    assert assigned and change.actor == counsellor.user
    assert change.target == f"meeting:{meeting.pk}"
    assert change.detail == {"scope": "meeting", "assigned": assigned}


def test_a_directory_export_is_recorded(network: Network, coordinator: Member) -> None:
    url = reverse("directory:export_json", kwargs={"network": network.slug})
    response = _client(coordinator).get(url)
    assert response.status_code == 200
    (event,) = _events("directory.export")
    assert event.actor == coordinator.user and event.detail == {"format": "json"}


def test_an_admin_site_action_is_recorded_with_its_network(
    network: Network, member: Member, helper: Member
) -> None:
    block = Block.objects.create(network=network, member=member, blocked=helper)
    staff = User.objects.create_superuser("root@example.org", PASSWORD, display_name="Root")
    client = Client()
    assert client.login(email=staff.email, password=PASSWORD)
    url = reverse("admin:matching_block_delete", args=[block.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Block.objects.filter(pk=block.pk).exists()
    (event,) = _events("admin.delete")
    assert event.actor == staff and event.network == network
    assert event.target == f"matching.block:{block.pk}"
    assert event.detail == {"model": "matching.block", "object_id": block.pk}


def test_staff_read_the_log_in_the_admin_and_cannot_change_it(network: Network) -> None:
    event = AuditEvent.objects.create(network=network, action="test.seen", target="group:1")
    staff = User.objects.create_superuser("root@example.org", PASSWORD, display_name="Root")
    client = Client()
    assert client.login(email=staff.email, password=PASSWORD)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
