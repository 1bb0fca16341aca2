import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sameboat.groups.models import StageRecord
from sameboat.groups.services import stage_record


def _url(group) -> str:
    return reverse("groups:stage", kwargs={"network": "riverside", "group_id": group.pk})


def test_facilitator_records_a_boston_model_stage(counsellor, confidential):
    client = Client()
    client.force_login(counsellor.user)
    response = client.post(_url(confidential), {"stage": "power_and_control", "note": "Testing"})
    assert response.status_code == 302
    record = StageRecord.objects.get(group=confidential)
    assert (record.model, record.stage, record.recorded_by) == (
        "boston",
        "power_and_control",
        counsellor,
    )
    page = client.get(
        reverse("groups:detail", kwargs={"network": "riverside", "group_id": confidential.pk})
    )
    assert "Power and control" in page.content.decode()


def test_a_stage_of_the_other_model_is_refused_with_400_and_nothing_written(
    counsellor, confidential
):
    client = Client()
    client.force_login(counsellor.user)
    response = client.post(_url(confidential), {"stage": "storming"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not StageRecord.objects.exists()


def test_the_service_refuses_a_stage_of_the_other_model(counsellor, confidential):
    with pytest.raises(ValidationError):
        stage_record(group=confidential, by=counsellor, stage="forming")
    assert not StageRecord.objects.exists()


def test_a_plain_group_member_cannot_record_a_stage(insider, confidential):
    client = Client()
    client.force_login(insider.user)
    assert client.post(_url(confidential), {"stage": "intimacy"}).status_code == 403
    assert not StageRecord.objects.exists()
