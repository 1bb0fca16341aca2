"""A person's privacy page (consents), the download of their data, the erasure of their
account; and the erasure of a member's account by a coordinator, at the member's request."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sameboat import policy
from sameboat.accounts.models import User
from sameboat.core.access import network_access, render_network_page
from sameboat.networks.models import Member
from sameboat.privacy.forms import ConsentForm, EraseAccountForm, MemberEraseForm
from sameboat.privacy.models import Consent, ConsentSource
from sameboat.privacy.services import (
    account_erase,
    consent_states,
    consents_update,
    erasure_by_coordinator_allowed,
    member_data_export_for,
    retention_days,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def privacy_home(request: HttpRequest) -> HttpResponse:
    """What the person agrees to, its history, and the ways to take or erase their data."""
    user = _user(request)
    states = consent_states(user=user)
    form = ConsentForm(request.POST or None, states=states)
    if request.method == "POST" and form.is_valid():
        changed = consents_update(
            user=user, choices=form.choices(), source=ConsentSource.PRIVACY_PAGE
        )
        if changed:
            messages.success(request, _("Your choices are saved."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("privacy:home")
    context: dict[str, Any] = {
        "form": form,
        "history": Consent.objects.filter(user=user).order_by("-id")[:50],
        "retention": retention_days(),
    }
    return render(request, "privacy/home.html", context, status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET"])
def export_download(request: HttpRequest) -> HttpResponse:
    """Everything Sameboat holds about the person, as a JSON file to keep."""
    data = member_data_export_for(user=_user(request))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    name = f"sameboat-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase_account(request: HttpRequest) -> HttpResponse:
    """Erase one's own account, confirmed with the password."""
    user = _user(request)
    form = EraseAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        account_erase(user=user, erased_by=user)
        logout(request)
        messages.success(request, _("Your account is erased. Thank you for being part of it."))
        return redirect("core:home")
    return render(request, "privacy/erase.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def member_erase(request: HttpRequest, network: str, member_id: int) -> HttpResponse:
    """A coordinator or admin erases a member's account, at the member's request."""
    access = network_access(request, network)
    subject = get_object_or_404(
        Member.objects.select_related("user"), network=access.network, pk=member_id
    )
    if not policy.can_erase_member(access.member, subject):
        raise Http404
    check = erasure_by_coordinator_allowed(actor=access.member, subject=subject)
    form = MemberEraseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not check.allowed:
            status = 403
        elif form.is_valid():
            account_erase(user=subject.user, erased_by=_user(request))
            messages.success(request, _("The account is erased."))
            return redirect("networks:members", network=access.network.slug)
        else:
            status = 400
    return render_network_page(
        request,
        access,
        "privacy/member_erase.html",
        {"subject": subject, "check": check, "form": form},
        status=status,
    )
