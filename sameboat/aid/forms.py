"""Forms for the aid pages. They parse and present input; the rules live in services."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import uuid4

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sameboat.aid.models import Ask, MatchStatus, Offer, PostStatus, Urgency, Visibility
from sameboat.aid.selectors import (
    PostFilters,
    areas_for_choice,
    asks_waiting_oldest_first,
    offers_open_for_pairing,
)
from sameboat.aid.services import POST_TRANSITIONS, PostFields
from sameboat.core.models import Language
from sameboat.networks.models import AccessibilityTag, Category, Member, Network, ServiceArea
from sameboat.networks.selectors import categories_of, members_of

# The deepest tree a network keeps (city, neighbourhood, block); the selectors load as many.
_MAX_DEPTH = 3


def tree_path(node: Category | ServiceArea) -> tuple[str, ...]:
    """The names from the root down to this node, read from ancestors already loaded."""
    names: list[str] = []
    current: Category | ServiceArea | None = node
    while current is not None and len(names) < _MAX_DEPTH:
        names.append(current.name)
        current = current.parent if current.parent_id is not None else None
    return tuple(reversed(names))


class _TreeChoiceIterator(ModelChoiceIterator):
    """Options sorted by their path, so each parent is followed by its children."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sorted(self.queryset, key=tree_path):
            yield self.choice(obj)


class TreeChoiceField(forms.ModelChoiceField):
    """A category or an area, shown by its path from the root."""

    iterator = _TreeChoiceIterator

    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Category | ServiceArea)
        return " › ".join(tree_path(obj))


class LanguageChoiceField(forms.ModelMultipleChoiceField):
    """Languages as checkboxes, each with its own name marked in its own language."""

    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Language)
        if obj.native_name and obj.native_name != obj.name:
            return format_html(
                '{} (<span lang="{}">{}</span>)', obj.name, obj.code, obj.native_name
            )
        return obj.name


class PageForm(forms.Form):
    """A form on our pages: labels without a trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field,
    above the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class PostForm(PageForm):
    """What an ask and an offer share."""

    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("A few words others will see first."),
        error_messages={"required": _("Give it a short title.")},
    )
    category = TreeChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        empty_label=_("Choose a category"),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose a category of this network."),
        },
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would help others understand it. Share no private details here."),
    )
    area = TreeChoiceField(
        label=_("Area"),
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label=_("No particular area"),
        error_messages={"invalid_choice": _("Choose an area of this network.")},
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=_date_input())
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave both dates empty if it is ongoing."),
    )
    languages = LanguageChoiceField(
        label=_("Languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Visibility.choices,
        initial=Visibility.NETWORK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        area = self.fields["area"]
        assert isinstance(category, TreeChoiceField) and isinstance(area, TreeChoiceField)
        category.queryset = categories_of(network=network)
        area.queryset = areas_for_choice(network=network)

    def post_fields(self) -> PostFields:
        data = self.cleaned_data
        return PostFields(
            category=data["category"],
            title=data["title"],
            details=data["details"],
            area=data["area"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            languages=tuple(data["languages"]),
            visibility=Visibility(data["visibility"]),
        )

    @staticmethod
    def initial_for(post: Ask | Offer) -> dict[str, Any]:
        """The form's values for an existing post (its languages are prefetched)."""
        initial: dict[str, Any] = {
            "title": post.title,
            "category": post.category_id,
            "details": post.details,
            "area": post.area_id,
            "starts_on": post.starts_on,
            "ends_on": post.ends_on,
            "languages": [language.pk for language in post.languages.all()],
            "visibility": post.visibility,
        }
        if isinstance(post, Ask):
            initial["urgency"] = post.urgency
            initial["accessibility_needs"] = post.accessibility_needs
        return initial


class AskForm(PostForm):
    urgency = forms.TypedChoiceField(
        label=_("How soon is it needed?"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )

    accessibility_needs = forms.MultipleChoiceField(
        label=_("What the helper needs to be able to offer"),
        choices=AccessibilityTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Matching proposes only helpers who can meet all of these."),
    )

    field_order = ["title", "category", "urgency", "details"]

    def urgency_value(self) -> Urgency:
        return Urgency(self.cleaned_data["urgency"])

    def accessibility_value(self) -> list[str]:
        return list(self.cleaned_data["accessibility_needs"])


class OfferForm(PostForm):
    pass


class PostFilterForm(PageForm):
    """The filters above a list of asks or offers. Empty means any."""

    category = TreeChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Any category"),
        help_text=_("Includes its subcategories."),
    )
    area = TreeChoiceField(
        label=_("Area"),
        queryset=ServiceArea.objects.none(),
        required=False,
        empty_label=_("Any area"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *PostStatus.choices],
        required=False,
    )
    language = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Any language"),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        area = self.fields["area"]
        assert isinstance(category, TreeChoiceField) and isinstance(area, TreeChoiceField)
        category.queryset = categories_of(network=network)
        area.queryset = areas_for_choice(network=network)

    def filters(self) -> PostFilters:
        data = self.cleaned_data
        category = data.get("category")
        area = data.get("area")
        language = data.get("language")
        return PostFilters(
            category=category.pk if category else None,
            area=area.pk if area else None,
            urgency=data.get("urgency") or None,
            status=data.get("status") or None,
            language=language.code if language else None,
        )


class AskFilterForm(PostFilterForm):
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=[("", _("Any urgency")), *Urgency.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )

    field_order = ["category", "area", "urgency", "status", "language"]


class OfferFilterForm(PostFilterForm):
    pass


class AnswerForm(PageForm):
    """ "I can help" on an ask, "I'd like this" on an offer."""

    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Say hello, or what you can do. Keep contact details for after you both accept."
        ),
    )


class TransitionForm(PageForm):
    """Pause, resume, close or reopen a post."""

    action = forms.ChoiceField(choices=[(action, action) for action in POST_TRANSITIONS])


class MatchActionForm(PageForm):
    """Accept, decline or cancel: a button with nothing to fill in, which may still fail."""


class CompleteForm(PageForm):
    hours = forms.DecimalField(
        label=_("Hours given"),
        max_digits=9,
        decimal_places=4,
        help_text=_("As a number, for example 1.5 for an hour and a half."),
        widget=forms.NumberInput(attrs={"step": "0.25", "min": "0", "inputmode": "decimal"}),
    )
    feedback = forms.CharField(
        label=_("How did it go? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Made when the form is shown, so posting the same form twice posts one exchange.
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    @classmethod
    def fresh(cls) -> "CompleteForm":
        return cls(initial={"key": uuid4().hex})

    def hours_value(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        assert isinstance(hours, Decimal)
        return hours


class FeedbackForm(PageForm):
    feedback = forms.CharField(
        label=_("How did it go?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MatchFilterForm(PageForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *MatchStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, coordinator: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coordinator:
            self.fields["all"] = forms.BooleanField(
                label=_("Every match in the network, not only mine"), required=False
            )


class _AskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Ask)
        return _("%(title)s, asked by %(name)s") % {
            "title": obj.title,
            "name": obj.member.display_name,
        }


class _OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Offer)
        return _("%(title)s, offered by %(name)s") % {
            "title": obj.title,
            "name": obj.member.display_name,
        }


class _MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Model) -> str:
        assert isinstance(obj, Member)
        return obj.display_name


class PairForm(PageForm):
    """A coordinator pairs an open ask with an open offer, or with a member who can help."""

    ask = _AskChoiceField(
        label=_("Ask"),
        queryset=Ask.objects.none(),
        empty_label=_("Choose an open ask"),
        error_messages={"invalid_choice": _("Choose an open ask of this network.")},
    )
    offer = _OfferChoiceField(
        label=_("Offer"),
        queryset=Offer.objects.none(),
        required=False,
        empty_label=_("No offer"),
        help_text=_("Pair with an open offer, or choose a member below."),
        error_messages={"invalid_choice": _("Choose an open offer of this network.")},
    )
    helper = _MemberChoiceField(
        label=_("Member who can help"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("No member"),
        help_text=_("Leave empty when you chose an offer: its author helps."),
        error_messages={"invalid_choice": _("Choose an active member of this network.")},
    )
    message = forms.CharField(
        label=_("Message to both (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ask = self.fields["ask"]
        offer = self.fields["offer"]
        helper = self.fields["helper"]
        assert isinstance(ask, forms.ModelChoiceField)
        assert isinstance(offer, forms.ModelChoiceField)
        assert isinstance(helper, forms.ModelChoiceField)
        ask.queryset = asks_waiting_oldest_first(network=network)
        offer.queryset = offers_open_for_pairing(network=network)
        helper.queryset = members_of(network=network)
