"""Forms for referrals and partnerships. They parse and present input; the rules (who may
refer whom, a reason for "did not get help", an end after the start) live in the services."""

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from sameboat.aid.forms import PageForm
from sameboat.directory import referral_selectors as selectors
from sameboat.directory.models import Organization, ReferralReason, ReferralStatus, Service
from sameboat.directory.referrals import NOTE_MAX, REASON_NOTE_MAX, TEXT_MAX
from sameboat.networks.models import Member, Network


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Member)
        return obj.user.display_name


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Service)
        return obj.name


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Organization)
        return obj.name


class ReferralForm(PageForm):
    member = MemberChoiceField(queryset=Member.objects.none(), label=_("Who is referred"))
    service = ServiceChoiceField(
        queryset=Service.objects.none(), to_field_name="id", label=_("Service")
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen only by the member, you and the coordinators. Write only what helps."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        widget=_date_input(),
        help_text=_("We ask how it went on this day. A week from now if left empty."),
    )

    def __init__(
        self,
        *args: Any,
        network: Network,
        viewer: Member,
        service: Service | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        service_field = self.fields["service"]
        assert isinstance(member_field, forms.ModelChoiceField)
        assert isinstance(service_field, forms.ModelChoiceField)
        member_field.queryset = selectors.members_to_refer(network=network, viewer=viewer)
        member_field.initial = viewer.pk
        service_field.queryset = selectors.services_to_refer_to(network=network)
        if service is not None:
            # Coming from a service's page: the service is chosen already.
            service_field.initial = service.id
            service_field.widget = forms.HiddenInput()


class ReferralStatusForm(PageForm):
    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (value, label)
            for value, label in ReferralStatus.choices
            if value != ReferralStatus.MADE
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("If they did not get help: why?"),
        choices=[("", _("—")), *ReferralReason.choices],
        required=False,
    )
    reason_note = forms.CharField(
        label=_("In a few words (optional)"),
        required=False,
        max_length=REASON_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartnershipForm(PageForm):
    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )
    starts_on = forms.DateField(label=_("Agreement starts"), widget=_date_input())
    ends_on = forms.DateField(
        label=_("Agreement ends (optional)"), required=False, widget=_date_input()
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=50)
    network_brings = forms.CharField(
        label=_("What our network brings"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partner_brings = forms.CharField(
        label=_("What the partner brings"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("Notes (coordinators only)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.organizations_to_partner_with(network=network)
