"""A network's security settings, kept by its admins: whether its coordinators and admins
must use two-factor authentication."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat import policy
from sameboat.accounts.mfa import mfa_enabled
from sameboat.core.access import network_access, render_network_page
from sameboat.networks.models import Network
from sameboat.networks.services import network_set_mfa_requirement


class SecurityForm(forms.Form):
    mfa_required_for_leaders = forms.BooleanField(
        label=gettext_lazy("Coordinators and admins must use two-factor authentication"),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "mfa-required-help"}),
        help_text=Network._meta.get_field("mfa_required_for_leaders").help_text,
    )


@login_required
def security(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_manage_security(access.member):
        raise Http404
    # An unticked box sends nothing: an empty POST is still a POST.
    form = SecurityForm(
        request.POST if request.method == "POST" else None,
        initial={"mfa_required_for_leaders": access.network.mfa_required_for_leaders},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                network_set_mfa_requirement(
                    network=access.network,
                    required=form.cleaned_data["mfa_required_for_leaders"],
                    by=access.member,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The security settings are saved."))
                return redirect("networks:security", network=access.network.slug)
        status = 400
    return render_network_page(
        request,
        access,
        "networks/security.html",
        {"form": form, "own_mfa": mfa_enabled(request.user)},
        status=status,
    )
