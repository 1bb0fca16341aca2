"""The calendar page (a member's feed addresses, their choice of names, a reset) and the
feeds themselves. Thin: parse input, ask the policy, call one service or selector, render.

The feeds answer calendar clients, which cannot log in: the secret in the address finds the
person, and every fetch asks the policy again whether they still belong to the network (404
if not) and which groups they belong to now."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.calendars import ical, selectors, services
from sameboat.calendars.forms import GroupNamesForm
from sameboat.calendars.models import CalendarFeed, GroupNames
from sameboat.core.access import network_access, render_network_page
from sameboat.groups import selectors as group_selectors
from sameboat.groups.models import Group, Meeting


def _feed_url(request: HttpRequest, feed: CalendarFeed, group: Group | None = None) -> str:
    if group is None:
        path = reverse("calendars:feed", kwargs={"feed_token": feed.token})
    else:
        path = reverse(
            "calendars:group_feed", kwargs={"feed_token": feed.token, "group_id": group.pk}
        )
    return request.build_absolute_uri(path)


@login_required
@never_cache  # it shows the secret address: not to be kept by a shared computer's browser
def calendar_page(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_have_calendar_feed(access.member):
        raise Http404
    feed = selectors.feed_of(member=access.member)
    form = GroupNamesForm(
        request.POST or None,
        initial={"group_names": feed.group_names if feed else GroupNames.OPEN},
    )
    status = 200
    if request.method == "POST":
        if feed is None:
            messages.error(request, _("Make your calendar address first."))
        elif form.is_valid():
            try:
                services.feed_group_names_set(
                    feed=feed, group_names=form.cleaned_data["group_names"]
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your calendar's names are saved."))
                return redirect("calendars:page", network=access.network.slug)
        status = 400
    groups = []
    if feed is not None:
        groups = [
            {
                "group": group,
                "url": _feed_url(request, feed, group),
                "named": policy.feed_names_group(group, feed.group_names),
            }
            for group in selectors.feed_groups(member=access.member)
        ]
    context = {
        "feed": feed,
        "feed_url": _feed_url(request, feed) if feed else "",
        "groups": groups,
        "form": form,
    }
    return render_network_page(request, access, "calendars/calendar.html", context, status)


@login_required
@require_POST
def calendar_reset(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_have_calendar_feed(access.member):
        raise Http404
    had_one = selectors.feed_of(member=access.member) is not None
    services.feed_reset(member=access.member)
    if had_one:
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works: add the new "
                "one in each calendar where you used the old."
            ),
        )
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("calendars:page", network=access.network.slug)


# --- the feeds ------------------------------------------------------------------------------


def _host() -> str:
    # Event UIDs must stay the same on every fetch, whatever host name the client used.
    return urlsplit(settings.SITE_URL).hostname or "sameboat"


def _events(
    request: HttpRequest, feed: CalendarFeed, meetings: list[Meeting]
) -> list[ical.FeedEvent]:
    """Each meeting as the feed may show it: its time and place, a link to its page, and the
    group's name only where the person's choice allows (`policy.feed_names_group`)."""
    host = _host()
    events = []
    for meeting in meetings:
        group = meeting.group
        if policy.feed_names_group(group, feed.group_names):
            summary = _("Meeting of %(name)s") % {"name": group.name}
        else:
            summary = _("Group meeting")
        page = reverse(
            "groups:meeting",
            kwargs={
                "network": feed.member.network.slug,
                "group_id": group.pk,
                "meeting_id": meeting.pk,
            },
        )
        events.append(
            ical.FeedEvent(
                uid=f"meeting-{meeting.pk}@{host}",
                starts_at=meeting.starts_at,
                ends_at=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
                summary=summary,
                page=request.build_absolute_uri(page),
                place=meeting.place,
                link=meeting.link,
                created_at=meeting.created_at,
            )
        )
    return events


def _calendar_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    # Made for one person from a secret address: no shared cache keeps it, no search engine
    # lists it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _found(feed_token: str) -> CalendarFeed:
    feed = selectors.feed_by_token(feed_token)
    if feed is None or not policy.can_have_calendar_feed(feed.member):
        raise Http404
    return feed


@require_safe
def feed(request: HttpRequest, feed_token: str) -> HttpResponse:
    """All meetings of the person's groups in the network."""
    found = _found(feed_token)
    now = timezone.now()
    meetings = selectors.feed_meetings(member=found.member, now=now)
    network = found.member.network
    if found.group_names == GroupNames.NONE:
        name = _("Sameboat")
    else:
        name = _("Sameboat · %(network)s") % {"network": network.name}
    content = ical.feed_calendar(
        name=name,
        uid=f"feed-{found.pk}@{_host()}",
        events=_events(request, found, meetings),
        generated_at=now,
    )
    return _calendar_response(content)


@require_safe
def group_feed(request: HttpRequest, feed_token: str, group_id: int) -> HttpResponse:
    """The meetings of one of the person's groups."""
    found = _found(feed_token)
    member = found.member
    group = group_selectors.group_get(network=member.network, pk=group_id)
    membership = (
        None if group is None else group_selectors.membership_of(group=group, member=member)
    )
    if group is None or not policy.feed_shows_group(member, group, membership):
        raise Http404
    now = timezone.now()
    meetings = selectors.feed_meetings(member=member, now=now, group=group)
    if policy.feed_names_group(group, found.group_names):
        name = _("Sameboat · %(group)s") % {"group": group.name}
    else:
        name = _("Sameboat · Group meetings")
    content = ical.feed_calendar(
        name=name,
        uid=f"feed-{found.pk}-group-{group.pk}@{_host()}",
        events=_events(request, found, meetings),
        generated_at=now,
    )
    return _calendar_response(content)
