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


def test_the_match_page_gives_matchings_reasons_in_the_readers_language(
    client, ask, member, helper
):
    from django.utils import translation

    from sameboat.aid.models import Match, MatchSource

    match = Match.objects.create(
        network=member.network,
        ask=ask,
        helper=helper,
        receiver=member,
        source=MatchSource.ENGINE,
        reasons=["1.2 km away"],
    )
    client.force_login(member.user)
    url = reverse("aid:match_detail", kwargs={"network": member.network.slug, "pk": match.pk})
    assert "1.2 km away" in client.get(url).content.decode()
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    translation.activate("en")  # the locale middleware leaves Spanish on in this thread
    assert "1.2 km away" not in spanish and "1.2 km" in spanish
