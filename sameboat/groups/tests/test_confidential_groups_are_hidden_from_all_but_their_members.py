from django.test import Client
from django.urls import reverse

from sameboat.groups.models import StageModel


def _client(member=None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member.user)
    return client


def _detail(group) -> str:
    return reverse("groups:detail", kwargs={"network": "riverside", "group_id": group.pk})


LIST = reverse("groups:list", kwargs={"network": "riverside"})


def test_plain_member_gets_404_for_a_confidential_group_and_does_not_see_it_listed(
    member, confidential, open_group
):
    client = _client(member)
    assert client.get(_detail(confidential)).status_code == 404
    page = client.get(LIST).content.decode()
    assert "Recovery circle" not in page
    assert "Food circle" in page


def test_facilitator_of_the_network_not_in_the_group_gets_404(facilitator, confidential):
    assert _client(facilitator).get(_detail(confidential)).status_code == 404


def test_coordinator_sees_name_and_count_but_not_members(coordinator, confidential):
    client = _client(coordinator)
    listing = client.get(LIST).content.decode()
    assert "Recovery circle" in listing
    assert "2 members" in listing
    assert "Staying sober" not in listing
    page = client.get(_detail(confidential))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Recovery circle" in text and "2 members" in text
    assert "Insider Ines" not in text
    assert "Counsellor Kim" not in text
    assert "Staying sober" not in text


def test_coordinator_cannot_open_the_plan_or_stages_of_a_confidential_group(
    coordinator, confidential
):
    for name in ("groups:plan", "groups:stage", "groups:edit"):
        url = reverse(name, kwargs={"network": "riverside", "group_id": confidential.pk})
        assert _client(coordinator).get(url).status_code == 404


def test_group_members_see_who_belongs_the_plan_and_the_stages(insider, confidential):
    page = _client(insider).get(_detail(confidential)).content.decode()
    assert "Insider Ines" in page and "Counsellor Kim" in page
    assert "Pre-group plan" in page
    assert "Stages over time" in page
    assert confidential.stage_model == StageModel.BOSTON


def test_outsider_and_anonymous_learn_nothing(outsider, confidential, open_group):
    for group in (confidential, open_group):
        assert _client(outsider).get(_detail(group)).status_code == 404
        assert _client().get(_detail(group)).status_code == 302
    assert _client(outsider).get(LIST).status_code == 404


def test_someone_who_left_a_confidential_group_no_longer_sees_it(insider, confidential):
    from sameboat.groups.selectors import membership_of
    from sameboat.groups.services import group_leave

    group_leave(membership=membership_of(group=confidential, member=insider))
    assert _client(insider).get(_detail(confidential)).status_code == 404


def test_every_network_member_sees_an_open_group_its_members_and_purpose(member, open_group):
    page = _client(member).get(_detail(open_group)).content.decode()
    assert "Open Olu" in page and "Cooking for each other" in page
