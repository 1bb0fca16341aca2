"""Session records, check-ins and participation equity (groups): their objects in the
permission-table scenario.

Every URL here takes the confidential group (and its meeting), which none of the visitors is
in: its pages answer 404 to all of them, coordinators included, as its meeting pages do; the
API answers 403 to coordinators, who may know the group exists (as for its meetings)."""

from typing import Any

from sameboat.groups.models import SessionRecord

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ("group-session",)


def add(base: dict[str, Any]) -> dict[str, object]:
    # A record of the confidential group's meeting, so the record URLs have one to hide. Made
    # directly: the service writes records only of meetings that have started.
    SessionRecord.objects.create(
        meeting=base["meeting"], notes="Talked about the holidays.", recorded_by=base["counsellor"]
    )
    return {"group-session": base["confidential"].pk}
