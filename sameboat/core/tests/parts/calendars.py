"""This app's objects in the permission-table scenario.

Calendar feeds: `author` (in the confidential group) has a feed. Its addresses carry a secret
that stands in for the person, since calendar clients cannot log in, so every visitor who has
the address gets the feed, whoever they are logged in as (no session is looked at). A wrong
or reset secret is a 404 (tested in sameboat/calendars/tests).

Meeting-role availability: the pages and endpoints are the group's, and no visitor is in the
confidential group, so they answer as the group's meetings do: 404 on pages to everyone in
the network; in the API, 404 to those who may not know the group exists and 403 to a
coordinator, who knows it exists but not what is inside.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from sameboat.calendars.services import feed_reset
from sameboat.groups.models import GroupMember
from sameboat.groups.services import time_away_add

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ()


def add(base: dict[str, Any]) -> dict[str, object]:
    author = base["author"]
    membership = GroupMember.objects.get(group=base["confidential"], member=author)
    today = timezone.localdate()
    away = time_away_add(
        membership=membership, starts_on=today + timedelta(days=7), ends_on=today + timedelta(9)
    )
    return {"feed_token": feed_reset(member=author).token, "time_away_id": away.pk}
