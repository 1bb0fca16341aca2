from django.urls import reverse

from sameboat.aid.models import Ask


def test_member_asks_for_step_free_access_through_the_page(client, member, food):
    client.force_login(member.user)
    url = reverse("aid:ask_create", kwargs={"network": member.network.slug})
    response = client.post(
        url,
        {
            "title": "A lift to the clinic",
            "category": food.pk,
            "urgency": 2,
            "visibility": "network",
            "accessibility_needs": ["step_free", "quiet_space"],
        },
    )
    assert response.status_code == 302
    assert Ask.objects.get().accessibility_needs == ["quiet_space", "step_free"]


def test_unknown_need_is_refused_and_nothing_written(client, member, food):
    client.force_login(member.user)
    url = reverse("aid:ask_create", kwargs={"network": member.network.slug})
    response = client.post(
        url,
        {
            "title": "x",
            "category": food.pk,
            "urgency": 2,
            "visibility": "network",
            "accessibility_needs": ["teleport"],
        },
    )
    assert response.status_code == 400
    assert not Ask.objects.exists()


def test_api_sets_and_shows_accessibility_needs(member, food):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(member.user)
    url = f"/api/v1/networks/{member.network.slug}/asks/"
    created = client.post(
        url,
        {"title": "Reading a letter", "category": food.pk, "accessibility_needs": ["large_print"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["accessibility_needs"] == ["large_print"]
    bad = client.post(
        url, {"title": "x", "category": food.pk, "accessibility_needs": ["?"]}, format="json"
    )
    assert bad.status_code == 400 and "accessibility_needs" in bad.json()
