from django.urls import reverse


def test_person_updates_their_profile(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Amina H.",
            "languages": ["so", "en"],
            "strengths": "Cooking for many; reading official letters",
            "accessibility_needs": "Ground floor please",
            "contact_preference": "text",
            "phone": "+44 7700 900123",
        },
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.display_name == "Amina H."
    assert set(member.user.languages.values_list("code", flat=True)) == {"so", "en"}


def test_bad_profile_input_is_a_400_and_saves_nothing(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "", "contact_preference": "phone", "phone": ""},
    )
    assert response.status_code == 400
    member.user.refresh_from_db()
    assert member.user.display_name == "Amina"


def test_member_sets_area_and_what_they_help_with(client, member, network):
    from sameboat.networks.models import AreaKind, Category
    from sameboat.networks.services import service_area_create

    area = service_area_create(network=network, name="Riverside", kind=AreaKind.CITY)
    food = Category.objects.get(network=network, slug="food")
    client.force_login(member.user)
    url = reverse("networks:membership", kwargs={"network": network.slug})
    response = client.post(url, {"service_area": area.pk, "helps_with": [food.pk]})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.service_area == area and list(member.helps_with.all()) == [food]


def test_membership_refuses_another_networks_category(client, member, other_network):
    from sameboat.networks.models import Category

    foreign = Category.objects.get(network=other_network, slug="food")
    client.force_login(member.user)
    url = reverse("networks:membership", kwargs={"network": member.network.slug})
    response = client.post(url, {"helps_with": [foreign.pk]})
    assert response.status_code == 400
    assert not member.helps_with.exists()
