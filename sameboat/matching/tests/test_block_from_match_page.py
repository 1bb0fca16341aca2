from django.urls import reverse

from sameboat.aid.services import match_offer_help


def test_a_side_of_a_match_finds_the_way_to_block_the_other(client, ask, member, helper):
    match = match_offer_help(ask=ask, helper=helper)
    client.force_login(member.user)
    page = client.get(
        reverse("aid:match_detail", kwargs={"network": member.network.slug, "pk": match.pk})
    ).content.decode()
    blocks = reverse("matching:blocks", kwargs={"network": member.network.slug})
    assert f"{blocks}?member={helper.pk}" in page
    assert "match me with Bongani again" in page
