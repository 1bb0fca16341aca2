"""Pages for referrals and partnerships. Thin: parse input, ask the policy, call one service
or selector, render. A referral the viewer may not see answers 404, as if absent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.audit.services import audit_view
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.directory import referral_selectors as selectors
from sameboat.directory import referrals as services
from sameboat.directory.forms_referrals import PartnershipForm, ReferralForm, ReferralStatusForm
from sameboat.directory.models import Partnership, Referral

# Referrals a page lists, newest first (a coordinator sees the whole network's).
PAGE_SIZE = 50


def _referral(access: NetworkAccess, referral_id: int) -> Referral:
    referral = selectors.referral_get(network=access.network, pk=referral_id)
    if referral is None or not policy.can_see_referral(access.member, referral):
        raise Http404
    return referral


@login_required
def referral_list(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    page = Paginator(
        selectors.referrals_visible(network=access.network, viewer=access.member), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    referrals = list(page.object_list)
    mine = [r for r in referrals if r.member_id == access.member.pk]
    made = [r for r in referrals if r.referred_by_id == access.member.pk and r not in mine]
    others = [r for r in referrals if r not in mine and r not in made]
    if made or others:
        # Referrals of other members say something of their needs: reading them is audited.
        audit_view(
            request=request,
            network=access.network,
            target=f"network:{access.network.pk}",
            what="referrals",
            page=page.number,
        )
    return render_network_page(
        request,
        access,
        "directory/referral_list.html",
        {
            "mine": mine,
            "made": made,
            "others": others,
            "page": page,
            "can_see_report": policy.can_see_referral_report(access.member),
        },
    )


@login_required
def referral_create(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    service = None
    service_id = request.GET.get("service")
    if service_id:
        service = selectors.service_by_id(network=access.network, service_id=service_id)
        if service is None:
            raise Http404
    form = ReferralForm(
        request.POST or None, network=access.network, viewer=access.member, service=service
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.referral_create(
                    network=access.network, by=access.member, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The referral is made."))
                return redirect(
                    "directory:referral", network=access.network.slug, referral_id=referral.pk
                )
        status = 400
    return render_network_page(
        request,
        access,
        "directory/referral_form.html",
        {"form": form, "service": service, "refers_others": policy.can_refer_others(access.member)},
        status=status,
    )


@login_required
def referral_detail(request: HttpRequest, network: str, referral_id: int) -> HttpResponse:
    access = network_access(request, network)
    referral = _referral(access, referral_id)
    if referral.member_id != access.member.pk:
        audit_view(
            request=request,
            network=access.network,
            target=f"referral:{referral.pk}",
            what="referral",
        )
    return _detail(request, access, referral, ReferralStatusForm())


def _detail(
    request: HttpRequest,
    access: NetworkAccess,
    referral: Referral,
    form: ReferralStatusForm,
    status: int = 200,
) -> HttpResponse:
    return render_network_page(
        request,
        access,
        "directory/referral_detail.html",
        {
            "referral": referral,
            "form": form,
            "can_update": policy.can_update_referral(access.member, referral),
        },
        status=status,
    )


@login_required
@require_POST
def referral_status(request: HttpRequest, network: str, referral_id: int) -> HttpResponse:
    access = network_access(request, network)
    referral = _referral(access, referral_id)
    if not policy.can_update_referral(access.member, referral):
        raise PermissionDenied
    form = ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            services.referral_status_set(referral=referral, by=access.member, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: the referral is updated."))
            return redirect(
                "directory:referral", network=access.network.slug, referral_id=referral.pk
            )
    # Read again: the service may have changed the copy before refusing.
    fresh = _referral(access, referral_id)
    return _detail(request, access, fresh, form, status=400)


@login_required
def referral_report(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_see_referral_report(access.member):
        raise Http404
    report = selectors.referral_report(network=access.network)
    return render_network_page(
        request, access, "directory/referral_report.html", {"report": report}
    )


# --- partnerships ---------------------------------------------------------------------------


@login_required
def partnership_list(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_see_partnerships(access.member):
        raise Http404
    current, ended = selectors.partnerships_split(
        list(selectors.partnerships_of(network=access.network)), today=timezone.localdate()
    )
    return render_network_page(
        request,
        access,
        "directory/partnership_list.html",
        {
            "current": current,
            "ended": ended,
            "sees_contacts": policy.can_see_partnership_contacts(access.member),
            "can_manage": policy.can_manage_partnerships(access.member),
        },
    )


def _partnership_form_page(
    request: HttpRequest, access: NetworkAccess, partnership: Partnership | None
) -> HttpResponse:
    initial = {}
    if partnership is not None:
        initial = {
            "organization": partnership.organization_id,
            "starts_on": partnership.starts_on,
            "ends_on": partnership.ends_on,
            "contact_name": partnership.contact_name,
            "contact_email": partnership.contact_email,
            "contact_phone": partnership.contact_phone,
            "network_brings": partnership.network_brings,
            "partner_brings": partnership.partner_brings,
            "notes": partnership.notes,
        }
    form = PartnershipForm(request.POST or None, network=access.network, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = services.PartnershipFields(**form.cleaned_data)
            try:
                if partnership is None:
                    services.partnership_create(
                        network=access.network, by=access.member, fields=fields
                    )
                else:
                    services.partnership_update(
                        partnership=partnership, by=access.member, fields=fields
                    )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The partnership is saved."))
                return redirect("directory:partnership_list", network=access.network.slug)
        status = 400
    return render_network_page(
        request,
        access,
        "directory/partnership_form.html",
        {"form": form, "partnership": partnership},
        status=status,
    )


@login_required
def partnership_create(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_manage_partnerships(access.member):
        raise PermissionDenied
    return _partnership_form_page(request, access, None)


@login_required
def partnership_edit(request: HttpRequest, network: str, partnership_id: int) -> HttpResponse:
    access = network_access(request, network)
    partnership = selectors.partnership_get(network=access.network, pk=partnership_id)
    if partnership is None:
        raise Http404
    if not policy.can_manage_partnerships(access.member):
        raise PermissionDenied
    return _partnership_form_page(request, access, partnership)
