"""Pages for asks, offers and matches. Thin: parse input, ask the policy, call one service or
selector, render. Every page starts from `network_access`, so an outsider gets a 404."""

from decimal import Decimal
from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid import selectors, services
from sameboat.aid.forms import (
    AnswerForm,
    AskFilterForm,
    AskForm,
    CompleteForm,
    FeedbackForm,
    MatchActionForm,
    MatchFilterForm,
    OfferFilterForm,
    OfferForm,
    PairForm,
    PostFilterForm,
    PostForm,
    TransitionForm,
    add_service_error,
)
from sameboat.aid.models import ACTIVE_MATCH_STATUSES, Ask, Match, MatchStatus, Offer, PostStatus
from sameboat.audit.services import audit_record
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.directory import search as directory_search
from sameboat.ledger.models import HUNDREDTHS
from sameboat.ledger.selectors import accounts_below_limit

PAGE_SIZE = 20

Kind = Literal["ask", "offer"]

# The URL names of each kind's pages, so one set of templates serves both.
URLS: dict[Kind, dict[str, str]] = {
    kind: {
        "list": f"aid:{kind}_list",
        "create": f"aid:{kind}_create",
        "detail": f"aid:{kind}_detail",
        "edit": f"aid:{kind}_edit",
        "transition": f"aid:{kind}_transition",
        "answer": f"aid:{kind}_answer",
    }
    for kind in ("ask", "offer")
}

TRANSITION_LABELS = {
    "pause": gettext_lazy("Pause"),
    "resume": gettext_lazy("Resume"),
    "close": gettext_lazy("Close"),
    "reopen": gettext_lazy("Reopen"),
}

TRANSITION_DONE = {
    "pause": gettext_lazy("Paused. Only you and the coordinators can see it until you resume it."),
    "resume": gettext_lazy("Resumed: it is open again."),
    "close": gettext_lazy("Closed."),
    "reopen": gettext_lazy("Reopened: it is open again."),
}


def _get_post(access: NetworkAccess, kind: Kind, pk: int) -> Ask | Offer:
    if kind == "ask":
        return selectors.ask_get(network=access.network, viewer=access.member, pk=pk)
    return selectors.offer_get(network=access.network, viewer=access.member, pk=pk)


def _post_form(
    kind: Kind, access: NetworkAccess, data: Any = None, initial: Any = None
) -> PostForm:
    form_class = AskForm if kind == "ask" else OfferForm
    return form_class(data, initial=initial, network=access.network)


# Lists


def _post_list(request: HttpRequest, network: str, kind: Kind) -> HttpResponse:
    access = network_access(request, network)
    data = request.GET.copy()
    if "status" not in data:
        # What most people come for: what is still open.
        data["status"] = PostStatus.OPEN
    form_class = AskFilterForm if kind == "ask" else OfferFilterForm
    form: PostFilterForm = form_class(data, network=access.network)
    page = None
    status = 200
    if form.is_valid():
        if kind == "ask":
            posts: Any = selectors.asks_visible(
                network=access.network, viewer=access.member, filters=form.filters()
            )
        else:
            posts = selectors.offers_visible(
                network=access.network, viewer=access.member, filters=form.filters()
            )
        page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        status = 400
    context = {"kind": kind, "urls": URLS[kind], "form": form, "page": page}
    # htmx swaps in just the results; a history restore after a cache miss needs the page.
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render_network_page(request, access, "aid/_post_results.html", context, status)
    else:
        response = render_network_page(request, access, "aid/post_list.html", context, status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def ask_list(request: HttpRequest, network: str) -> HttpResponse:
    return _post_list(request, network, "ask")


@login_required
def offer_list(request: HttpRequest, network: str) -> HttpResponse:
    return _post_list(request, network, "offer")


# Create and edit


def _post_create(request: HttpRequest, network: str, kind: Kind) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_create_post(access.member):
        raise PermissionDenied
    form = _post_form(kind, access, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                post: Ask | Offer
                if isinstance(form, AskForm):
                    post = services.ask_create(
                        member=access.member,
                        fields=form.post_fields(),
                        urgency=form.urgency_value(),
                        accessibility_needs=form.accessibility_value(),
                    )
                    messages.success(request, _("Your ask is posted."))
                else:
                    post = services.offer_create(member=access.member, fields=form.post_fields())
                    messages.success(request, _("Your offer is posted."))
                return redirect(URLS[kind]["detail"], network=access.network.slug, pk=post.pk)
            except ValidationError as error:
                add_service_error(form, error)
        status = 400
    return render_network_page(
        request,
        access,
        "aid/post_form.html",
        {"kind": kind, "urls": URLS[kind], "form": form},
        status,
    )


@login_required
def ask_create(request: HttpRequest, network: str) -> HttpResponse:
    return _post_create(request, network, "ask")


@login_required
def offer_create(request: HttpRequest, network: str) -> HttpResponse:
    return _post_create(request, network, "offer")


def _post_edit(request: HttpRequest, network: str, pk: int, kind: Kind) -> HttpResponse:
    access = network_access(request, network)
    post = _get_post(access, kind, pk)
    if not policy.can_edit_post(access.member, post):
        raise PermissionDenied
    if request.method != "POST":
        form = _post_form(kind, access, initial=PostForm.initial_for(post))
        return render_network_page(
            request,
            access,
            "aid/post_form.html",
            {"kind": kind, "urls": URLS[kind], "form": form, "post": post},
        )
    form = _post_form(kind, access, request.POST)
    if form.is_valid():
        try:
            # Two calls, one per kind, so the type checker knows which the service returns.
            if isinstance(post, Ask) and isinstance(form, AskForm):
                services.post_update(
                    post=post,
                    by=access.member,
                    fields=form.post_fields(),
                    urgency=form.urgency_value(),
                    accessibility_needs=form.accessibility_value(),
                )
            elif isinstance(post, Offer):
                services.post_update(post=post, by=access.member, fields=form.post_fields())
            messages.success(request, _("Your changes are saved."))
            return redirect(URLS[kind]["detail"], network=access.network.slug, pk=post.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return render_network_page(
        request,
        access,
        "aid/post_form.html",
        {"kind": kind, "urls": URLS[kind], "form": form, "post": post},
        status=400,
    )


@login_required
def ask_edit(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _post_edit(request, network, pk, "ask")


@login_required
def offer_edit(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _post_edit(request, network, pk, "offer")


# Detail, with its actions


def _post_detail_page(
    request: HttpRequest,
    access: NetworkAccess,
    post: Ask | Offer,
    kind: Kind,
    *,
    answer_form: AnswerForm | None = None,
    transition_form: TransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = access.member
    matches = list(selectors.matches_for_post(post=post, viewer=viewer))
    # One active answer per person and post: point to it rather than offer the form again.
    own_active = next(
        (
            match
            for match in matches
            if match.status in ACTIVE_MATCH_STATUSES
            and viewer.pk == (match.helper_id if kind == "ask" else match.receiver_id)
        ),
        None,
    )
    can_edit = policy.can_edit_post(viewer, post)
    transitions = [
        {"action": action, "label": TRANSITION_LABELS[action], "danger": action == "close"}
        for action, (_target, allowed_from) in services.POST_TRANSITIONS.items()
        if can_edit and post.status in allowed_from
    ]
    can_answer = policy.can_answer(viewer, post) and own_active is None
    context: dict[str, Any] = {
        "kind": kind,
        "urls": URLS[kind],
        "post": post,
        "matches": matches,
        "own_active_match": own_active,
        "can_edit": can_edit,
        "can_update": can_edit and post.status not in (PostStatus.FULFILLED, PostStatus.CLOSED),
        "transitions": transitions,
        "transition_form": transition_form,
        "can_answer": can_answer,
        "answer_form": answer_form or (AnswerForm() if can_answer else None),
    }
    # An ask members cannot meet: the network's directory may have a service that fits.
    if (
        isinstance(post, Ask)
        and policy.can_see_service_suggestions(viewer, post)
        and directory_search.ask_needs_services(ask=post, now=timezone.now())
    ):
        context["suggested_services"] = directory_search.services_suggested(
            network=access.network,
            ask=post,
            at=timezone.now(),
            zone=timezone.get_default_timezone(),
        )
    return render_network_page(request, access, "aid/post_detail.html", context, status)


@login_required
def ask_detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    access = network_access(request, network)
    return _post_detail_page(request, access, _get_post(access, "ask", pk), "ask")


@login_required
def offer_detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    access = network_access(request, network)
    return _post_detail_page(request, access, _get_post(access, "offer", pk), "offer")


def _post_transition(request: HttpRequest, network: str, pk: int, kind: Kind) -> HttpResponse:
    access = network_access(request, network)
    post = _get_post(access, kind, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if isinstance(post, Ask):
                services.post_transition(post=post, by=access.member, action=action)
            else:
                services.post_transition(post=post, by=access.member, action=action)
            messages.success(request, TRANSITION_DONE[action])
            return redirect(URLS[kind]["detail"], network=access.network.slug, pk=post.pk)
        except ValidationError as error:
            add_service_error(form, error)
    elif not policy.can_edit_post(access.member, post):
        raise PermissionDenied
    return _post_detail_page(request, access, post, kind, transition_form=form, status=400)


@login_required
@require_POST
def ask_transition(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _post_transition(request, network, pk, "ask")


@login_required
@require_POST
def offer_transition(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _post_transition(request, network, pk, "offer")


@login_required
@require_POST
def ask_answer(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """The "I can help" form on an ask."""
    access = network_access(request, network)
    ask = selectors.ask_get(network=access.network, viewer=access.member, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            match = services.match_offer_help(
                ask=ask, helper=access.member, message=form.cleaned_data["message"]
            )
            messages.success(
                request,
                _("Thank you. %(name)s is asked to accept your offer of help.")
                % {"name": ask.member.display_name},
            )
            return redirect("aid:match_detail", network=access.network.slug, pk=match.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return _post_detail_page(request, access, ask, "ask", answer_form=form, status=400)


@login_required
@require_POST
def offer_answer(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """The "I'd like this" form on an offer."""
    access = network_access(request, network)
    offer = selectors.offer_get(network=access.network, viewer=access.member, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            match = services.match_request_offer(
                offer=offer, receiver=access.member, message=form.cleaned_data["message"]
            )
            messages.success(
                request,
                _("Your request is sent. %(name)s is asked to accept it.")
                % {"name": offer.member.display_name},
            )
            return redirect("aid:match_detail", network=access.network.slug, pk=match.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return _post_detail_page(request, access, offer, "offer", answer_form=form, status=400)


# Mine


@login_required
def mine(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    member = access.member
    context = {
        "waiting": selectors.matches_waiting_on(member=member),
        "asks": selectors.asks_of(member=member),
        "offers": selectors.offers_of(member=member),
        "ask_urls": URLS["ask"],
        "offer_urls": URLS["offer"],
    }
    return render_network_page(request, access, "aid/mine.html", context)


# Matches


@login_required
def match_list(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    coordinator = policy.is_coordinator(access.member)
    form = MatchFilterForm(request.GET, coordinator=coordinator)
    page = None
    status = 200
    everyone = False
    if form.is_valid():
        everyone = bool(form.cleaned_data.get("all"))
        matches = selectors.matches_listed(
            network=access.network,
            viewer=access.member,
            everyone=everyone,
            status=form.cleaned_data["status"] or None,
        )
        page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        status = 400
    return render_network_page(
        request,
        access,
        "aid/match_list.html",
        {"form": form, "page": page, "everyone": everyone},
        status,
    )


def _match_detail_page(
    request: HttpRequest,
    access: NetworkAccess,
    match: Match,
    *,
    action_form: MatchActionForm | None = None,
    complete_form: CompleteForm | None = None,
    feedback_form: FeedbackForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = access.member
    side = match.side_of(viewer)
    can_complete = policy.can_complete_match(viewer, match)
    can_give_feedback = policy.can_give_feedback(viewer, match)
    if feedback_form is None and can_give_feedback:
        own = match.helper_feedback if side == "helper" else match.receiver_feedback
        feedback_form = FeedbackForm(initial={"feedback": own})
    can_see_contact = policy.can_see_contact_details(viewer, match)
    if can_see_contact:
        # Reading another person's contact details is recorded (ASVS 8.3.5): ids only.
        audit_record(
            action="contact.view",
            network=access.network,
            actor=viewer.user,
            target=f"match:{match.pk}",
            request=request,
        )
    context = {
        "match": match,
        "subject": match.subject,
        "subject_kind": "ask" if match.ask_id else "offer",
        "side": side,
        "other": match.other_side(viewer) if side else None,
        "can_see_contact": can_see_contact,
        "can_accept": policy.can_accept_match(viewer, match),
        "can_decline": policy.can_decline_match(viewer, match),
        "can_cancel": policy.can_cancel_match(viewer, match),
        "can_complete": can_complete,
        "can_give_feedback": can_give_feedback,
        "action_form": action_form,
        "complete_form": complete_form or (CompleteForm.fresh() if can_complete else None),
        "feedback_form": feedback_form,
    }
    return render_network_page(request, access, "aid/match_detail.html", context, status)


@login_required
def match_detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    access = network_access(request, network)
    match = selectors.match_get(network=access.network, viewer=access.member, pk=pk)
    return _match_detail_page(request, access, match)


MatchAction = Literal["accept", "decline", "cancel"]

MATCH_ACTION_DONE: dict[MatchAction, Any] = {
    "accept": gettext_lazy("You accepted this match."),
    "decline": gettext_lazy("You declined. Thank you for saying so."),
    "cancel": gettext_lazy("The match is cancelled."),
}


def _match_action(request: HttpRequest, network: str, pk: int, action: MatchAction) -> HttpResponse:
    access = network_access(request, network)
    match = selectors.match_get(network=access.network, viewer=access.member, pk=pk)
    form = MatchActionForm(request.POST)
    try:
        if action == "accept":
            match = services.match_accept(match=match, by=access.member)
        elif action == "decline":
            services.match_decline(match=match, by=access.member)
        else:
            services.match_cancel(match=match, by=access.member)
    except ValidationError as error:
        form.is_valid()
        add_service_error(form, error)
        return _match_detail_page(request, access, match, action_form=form, status=400)
    if action == "accept" and match.status == MatchStatus.ACCEPTED:
        messages.success(
            request, _("You both accepted. You can now see each other's contact details.")
        )
    else:
        messages.success(request, MATCH_ACTION_DONE[action])
    return redirect("aid:match_detail", network=access.network.slug, pk=match.pk)


@login_required
@require_POST
def match_accept(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _match_action(request, network, pk, "accept")


@login_required
@require_POST
def match_decline(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _match_action(request, network, pk, "decline")


@login_required
@require_POST
def match_cancel(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _match_action(request, network, pk, "cancel")


@login_required
@require_POST
def match_complete(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    access = network_access(request, network)
    match = selectors.match_get(network=access.network, viewer=access.member, pk=pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            exchange = services.match_complete(
                match=match,
                by=access.member,
                hours=form.hours_value(),
                key=form.cleaned_data["key"],
                feedback=form.cleaned_data["feedback"],
            )
            hours = Decimal(exchange.amount) / HUNDREDTHS
            messages.success(
                request,
                _("Marked done: %(hours)s %(unit)s recorded. Thank you both.")
                % {"hours": hours, "unit": access.network.unit_label},
            )
            return redirect("aid:match_detail", network=access.network.slug, pk=match.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return _match_detail_page(request, access, match, complete_form=form, status=400)


@login_required
@require_POST
def match_feedback(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    access = network_access(request, network)
    match = selectors.match_get(network=access.network, viewer=access.member, pk=pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.match_feedback(
                match=match, by=access.member, feedback=form.cleaned_data["feedback"]
            )
            messages.success(request, _("Thank you for your feedback."))
            return redirect("aid:match_detail", network=access.network.slug, pk=match.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return _match_detail_page(request, access, match, feedback_form=form, status=400)


# Coordinate


def _coordinator_access(request: HttpRequest, network: str) -> NetworkAccess:
    access = network_access(request, network)
    if not policy.can_see_coordinator_queue(access.member):
        # Like an outsider: a member learns nothing about pages that are not theirs.
        raise Http404
    return access


@login_required
def coordinate(request: HttpRequest, network: str) -> HttpResponse:
    access = _coordinator_access(request, network)
    asks = selectors.asks_waiting_oldest_first(network=access.network)
    page = Paginator(asks, PAGE_SIZE).get_page(request.GET.get("page"))
    # Soft balance limits flag, they never block: coordinators see who may need a word of
    # encouragement to offer their own strengths, or an adjusted limit.
    below_limit = accounts_below_limit(network=access.network)[:50]
    return render_network_page(
        request, access, "aid/coordinate.html", {"page": page, "below_limit": below_limit}
    )


@login_required
def coordinate_pair(request: HttpRequest, network: str) -> HttpResponse:
    access = _coordinator_access(request, network)
    if request.method != "POST":
        initial = {}
        ask_id = request.GET.get("ask", "")
        if ask_id.isdigit():
            initial["ask"] = int(ask_id)
        form = PairForm(initial=initial, network=access.network)
        return render_network_page(request, access, "aid/pair.html", {"form": form})
    form = PairForm(request.POST, network=access.network)
    if form.is_valid():
        data = form.cleaned_data
        try:
            match = services.match_pair(
                by=access.member,
                ask=data["ask"],
                offer=data["offer"],
                helper=data["helper"],
                message=data["message"],
            )
            messages.success(
                request,
                _("Paired %(helper)s with %(receiver)s. Both are asked to accept.")
                % {"helper": match.helper.display_name, "receiver": match.receiver.display_name},
            )
            return redirect("aid:match_detail", network=access.network.slug, pk=match.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return render_network_page(request, access, "aid/pair.html", {"form": form}, status=400)
