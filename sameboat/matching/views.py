"""Pages for matching: the coordinator's page (runs, the review queue, what cannot be matched
and why, helpers' load), changing a proposal's helper, and each member's own preferences and
blocks. Thin: parse input, ask the policy, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.aid.selectors import asks_waiting_oldest_first
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.matching import selectors, services
from sameboat.matching.forms import (
    BlockForm,
    PreferencesForm,
    ReassignForm,
    ReviewForm,
    SettingsForm,
    UnblockForm,
)
from sameboat.matching.models import MatchingRun, RunStatus
from sameboat.networks.models import MatchingMode

QUEUE_PAGE_SIZE = 25
LIST_SIZE = 25
WAITING_SIZE = 10
RUNS_SIZE = 5


def _coordinator_access(request: HttpRequest, network: str) -> NetworkAccess:
    access = network_access(request, network)
    if not policy.can_run_matching(access.member):
        # Like the other coordinators' pages: a member learns nothing of them.
        raise Http404
    return access


# --- the coordinator's page -----------------------------------------------------------------


def _coordinate_page(
    request: HttpRequest,
    access: NetworkAccess,
    *,
    review_form: ReviewForm | None = None,
    settings_form: SettingsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    network = access.network
    now = timezone.now()
    queue = Paginator(selectors.proposals_pending(network=network), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    latest = selectors.run_latest_succeeded(network=network)
    unmatched_items: list[Any] = []
    unmatched_count = 0
    if latest is not None:
        unmatched = selectors.unmatched_of(run=latest)
        unmatched_count = unmatched.count()
        unmatched_items = [
            {"item": item, "reason": selectors.reason_label(item.reason)}
            for item in unmatched[:LIST_SIZE]
        ]
    helpers = selectors.helpers_by_load(network=network, now=now)
    can_configure = policy.can_configure_matching(access.member)
    context = {
        "queue": queue,
        "proposals": selectors.proposal_rows(queue.object_list, now=now),
        "review_form": review_form,
        "waiting_asks": asks_waiting_oldest_first(network=network)[:WAITING_SIZE],
        "latest_run": latest,
        "unmatched": unmatched_items,
        "unmatched_count": unmatched_count,
        "loads": selectors.loads_of(helpers[:LIST_SIZE]),
        "helpers_count": helpers.count(),
        "runs": list(selectors.runs_latest(network=network)[:RUNS_SIZE]),
        "run_waiting": selectors.run_waiting(network=network),
        "schedule": selectors.schedule_of(network=network),
        "review_mode": network.matching_mode == MatchingMode.REVIEW,
        "can_configure": can_configure,
        "settings_form": settings_form
        or (SettingsForm.for_network(network) if can_configure else None),
    }
    return render_network_page(request, access, "matching/coordinate.html", context, status)


@login_required
def coordinate(request: HttpRequest, network: str) -> HttpResponse:
    access = _coordinator_access(request, network)
    return _coordinate_page(request, access)


def _run_message(request: HttpRequest, run: MatchingRun) -> None:
    if run.status == RunStatus.SUCCEEDED:
        proposed = int(run.stats.get("proposed", 0))
        unmatched = int(run.stats.get("unmatched", 0))
        messages.success(
            request,
            ngettext(
                "Matching proposed %(count)d match.",
                "Matching proposed %(count)d matches.",
                proposed,
            )
            % {"count": proposed}
            + " "
            + ngettext(
                "%(count)d ask could not be matched.",
                "%(count)d asks could not be matched.",
                unmatched,
            )
            % {"count": unmatched},
        )
    elif run.status == RunStatus.FAILED:
        messages.error(
            request,
            _(
                "Matching failed, so the proposals waiting are as they were. The error is "
                "recorded with the run below."
            ),
        )
    else:
        messages.info(
            request,
            _("Matching is under way. Its proposals will appear here when it is done."),
        )


@login_required
@require_POST
def run(request: HttpRequest, network: str) -> HttpResponse:
    """ "Find matches": through the task worker, which may run it at once."""
    access = _coordinator_access(request, network)
    matching_run = services.matching_run_request(network=access.network, by=access.member)
    _run_message(request, matching_run)
    return redirect("matching:coordinate", network=access.network.slug)


REVIEW_DONE = {
    "release": lambda n: (
        ngettext(
            "Released %(count)d proposal: both members are asked to accept.",
            "Released %(count)d proposals: both members of each are asked to accept.",
            n,
        )
        % {"count": n}
    ),
    "reject": lambda n: (
        ngettext(
            "Rejected %(count)d proposal. Matching will not propose that pair again.",
            "Rejected %(count)d proposals. Matching will not propose those pairs again.",
            n,
        )
        % {"count": n}
    ),
}


@login_required
@require_POST
def review(request: HttpRequest, network: str) -> HttpResponse:
    access = _coordinator_access(request, network)
    form = ReviewForm(request.POST)
    if form.is_valid():
        action, ids = form.cleaned_data["action"], form.cleaned_data["ids"]
        try:
            if action == "release":
                done = services.proposals_release(network=access.network, by=access.member, ids=ids)
            else:
                done = services.proposals_reject(network=access.network, by=access.member, ids=ids)
            messages.success(request, REVIEW_DONE[action](len(done)))
            url = reverse("matching:coordinate", kwargs={"network": access.network.slug})
            page = request.POST.get("page", "")
            return redirect(f"{url}?page={page}" if page.isdigit() else url)
        except ValidationError as error:
            add_service_error(form, error)
    return _coordinate_page(request, access, review_form=form, status=400)


@login_required
@require_POST
def settings(request: HttpRequest, network: str) -> HttpResponse:
    access = _coordinator_access(request, network)
    if not policy.can_configure_matching(access.member):
        raise PermissionDenied
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.matching_settings_update(
                network=access.network,
                by=access.member,
                mode=MatchingMode(form.cleaned_data["mode"]),
                every_minutes=form.cleaned_data["every_minutes"],
            )
            messages.success(request, _("Matching settings saved."))
            return redirect("matching:coordinate", network=access.network.slug)
        except ValidationError as error:
            add_service_error(form, error)
    return _coordinate_page(request, access, settings_form=form, status=400)


# --- one proposal: choose another helper --------------------------------------------------


@login_required
def proposal(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    access = _coordinator_access(request, network)
    match = selectors.proposal_get(network=access.network, pk=pk)
    if match is None:
        raise Http404
    helpers = selectors.helpers_for_proposal(network=access.network, match=match)
    form = ReassignForm(
        request.POST if request.method == "POST" else None, helpers=[h.member for h in helpers]
    )
    if request.method == "POST":
        if form.is_valid():
            chosen = form.chosen()
            reasons = next((h.reasons for h in helpers if h.member.pk == chosen.pk), ())
            try:
                services.proposal_reassign(
                    network=access.network,
                    by=access.member,
                    match=match,
                    helper=chosen,
                    reasons=reasons,
                )
                messages.success(
                    request,
                    _("%(helper)s is proposed instead. Both members are asked to accept.")
                    % {"helper": chosen.display_name},
                )
                return redirect("matching:coordinate", network=access.network.slug)
            except ValidationError as error:
                add_service_error(form, error)
        status = 400
    else:
        status = 200
    (row,) = selectors.proposal_rows([match], now=timezone.now())
    return render_network_page(
        request,
        access,
        "matching/proposal.html",
        {"match": match, "row": row, "form": form, "helpers": helpers},
        status,
    )


# --- a member's own: preferences and blocks -------------------------------------------------


@login_required
def preferences(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    member = access.member
    if not policy.can_set_matching_preferences(member):
        raise PermissionDenied
    if request.method != "POST":
        form = PreferencesForm.for_member(member)
        return render_network_page(request, access, "matching/preferences.html", {"form": form})
    form = PreferencesForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.helping_preferences_update(
                member=member,
                latitude=data["latitude"],
                longitude=data["longitude"],
                travel_km=data["travel_km"],
                weekly_capacity=data["weekly_capacity"],
                accessibility_offered=data["accessibility_offered"],
            )
            messages.success(request, _("Saved. Matching will use these from its next run."))
            return redirect("matching:preferences", network=access.network.slug)
        except ValidationError as error:
            add_service_error(form, error)
    return render_network_page(
        request, access, "matching/preferences.html", {"form": form}, status=400
    )


def _blocks_page(
    request: HttpRequest,
    access: NetworkAccess,
    *,
    form: BlockForm | None = None,
    error_form: UnblockForm | None = None,
    status: int = 200,
) -> HttpResponse:
    member = access.member
    people = selectors.matched_with(member=member)
    blocks = list(selectors.blocks_of(member=member))
    blocked_ids = {block.blocked_id for block in blocks}
    if form is None:
        initial = {}
        chosen = request.GET.get("member", "")
        if chosen.isdigit():
            initial["member"] = int(chosen)
        form = BlockForm(initial=initial, people=people.exclude(pk__in=blocked_ids))
    return render_network_page(
        request,
        access,
        "matching/blocks.html",
        {"form": form, "blocks": blocks, "unblock_form": error_form},
        status,
    )


@login_required
def blocks(request: HttpRequest, network: str) -> HttpResponse:
    """ "Don't match me with this person", and the list of those one asked that of."""
    access = network_access(request, network)
    member = access.member
    if not policy.can_set_matching_preferences(member):
        raise PermissionDenied
    if request.method != "POST":
        return _blocks_page(request, access)
    if "unblock" in request.POST:
        unblock = UnblockForm(request.POST)
        if unblock.is_valid():
            try:
                services.block_remove(member=member, blocked_id=unblock.cleaned_data["unblock"])
                messages.success(request, _("Matching may propose this person to you again."))
                return redirect("matching:blocks", network=access.network.slug)
            except ValidationError as error:
                add_service_error(unblock, error)
        return _blocks_page(request, access, error_form=unblock, status=400)
    form = BlockForm(request.POST, people=selectors.matched_with(member=member))
    if form.is_valid():
        blocked = form.cleaned_data["member"]
        try:
            services.block_create(member=member, blocked=blocked)
            messages.success(
                request,
                _("Matching will not propose you and %(name)s to each other.")
                % {"name": blocked.display_name},
            )
            return redirect("matching:blocks", network=access.network.slug)
        except ValidationError as error:
            add_service_error(form, error)
    return _blocks_page(request, access, form=form, status=400)
