"""The members' search of their network's directory: a form of filters (all combine), the
results as a list, and, when a member asks for it, on a map.

The map's tiles come from OpenStreetMap, the page's only outside request: the search page
alone allows that host for images, and its script asks for tiles only once the member
presses "Show on a map" (the list carries everything the map shows, without script)."""

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override

from sameboat import policy
from sameboat.core.access import network_access, render_network_page
from sameboat.directory import search
from sameboat.networks.models import Network

TILE_HOST = "https://tile.openstreetmap.org"
TILE_URL = TILE_HOST + "/{z}/{x}/{y}.png"
# The project's policy, with the tile server allowed for images on this page only.
PROJECT_CSP: dict[str, Any] = settings.SECURE_CSP
SEARCH_CSP: dict[str, Any] = {
    **PROJECT_CSP,
    "img-src": [*PROJECT_CSP.get("img-src", ["'self'"]), TILE_HOST],
}
PER_PAGE = 20
MAX_WORDS = 10

DISTANCES = [
    ("", _("Any distance")),
    ("1", _("Within 1 km")),
    ("2", _("Within 2 km")),
    ("5", _("Within 5 km")),
    ("10", _("Within 10 km")),
    ("25", _("Within 25 km")),
    ("50", _("Within 50 km")),
]


class LanguageField(forms.ChoiceField):
    """A language by its BCP 47 tag, case and separator aside ("pt-BR", "pt_br")."""

    def to_python(self, value: Any) -> str:
        return search.language_tag(super().to_python(value))


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_("In a service's name or description, or its organisation's name."),
    )
    term = forms.ChoiceField(label=_("Kind of help"), required=False)
    language = LanguageField(
        label=_("Language spoken"),
        required=False,
        help_text=_(
            "A language finds all its varieties; a variety (such as Brazilian Portuguese) "
            "also finds the services that name only the language."
        ),
    )
    within_km = forms.TypedChoiceField(
        label=_("Distance from your area"),
        required=False,
        choices=DISTANCES,
        coerce=float,
        empty_value=None,
    )
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    age = forms.IntegerField(
        label=_("Age of the person who needs help"),
        required=False,
        min_value=0,
        max_value=130,
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, network: Network, origin: search.Point | None) -> None:
        super().__init__(data)
        self.network = network
        self.origin = origin
        term_field = self.fields["term"]
        language_field = self.fields["language"]
        assert isinstance(term_field, forms.ChoiceField)
        assert isinstance(language_field, forms.ChoiceField)
        term_field.choices = [("", _("Any kind of help")), *search.term_choices(network=network)]
        asked = data.get("language", "") if data is not None else ""
        language_field.choices = [
            ("", _("Any language")),
            *search.language_choices(
                network=network, asked=asked if isinstance(asked, str) else ""
            ),
        ]

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"].strip()
        if len(text.split()) > MAX_WORDS:
            raise forms.ValidationError(
                _("Use at most %(count)d words.") % {"count": MAX_WORDS}, code="too_many"
            )
        return text

    def clean_within_km(self) -> float | None:
        within: float | None = self.cleaned_data["within_km"]
        if within is not None and self.origin is None:
            raise forms.ValidationError(
                _(
                    "We do not know your area, so we cannot measure distances. Choose your "
                    "service area in your profile, or search at any distance."
                ),
                code="no_area",
            )
        return within

    def criteria(self) -> search.Criteria:
        data = self.cleaned_data
        term_ids: frozenset = frozenset()
        if data["term"]:
            term_ids = search.terms_beneath(network=self.network, term_id=uuid.UUID(data["term"]))
        return search.Criteria(
            words=tuple(data["q"].split()),
            term_ids=term_ids,
            languages=frozenset([data["language"]]) if data["language"] else frozenset(),
            within_km=data["within_km"],
            open_now=data["open_now"],
            age=data["age"],
        )


@login_required
@csp_override(SEARCH_CSP)
def directory_search(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_search_directory(access.member):
        raise Http404
    origin = search.member_point(access.member)
    form = SearchForm(request.GET, network=access.network, origin=origin)
    context: dict[str, Any] = {"form": form, "origin_known": origin is not None}
    if not form.is_valid():
        return render_network_page(request, access, "directory/search.html", context, status=400)
    at = timezone.now()
    zone = timezone.get_default_timezone()
    found = search.Matches(
        network=access.network, criteria=form.criteria(), origin=origin, at=at, zone=zone
    )
    page = Paginator(found, PER_PAGE).get_page(form.cleaned_data["page"] or 1)
    hits = search.hits_for(network=access.network, found=list(page.object_list), at=at, zone=zone)
    points = [
        {
            "name": hit.service.name,
            "organization": hit.organization,
            "place": place.name,
            "url": reverse(
                "directory:service",
                kwargs={"network": access.network.slug, "service_id": hit.service.id},
            ),
            "lat": place.latitude,
            "lon": place.longitude,
        }
        for hit in hits
        for place in hit.places
    ]
    context |= {
        "searched": True,
        "page": page,
        "hits": hits,
        "total": page.paginator.count,
        "points": points,
        "tile_url": TILE_URL,
    }
    return render_network_page(request, access, "directory/search.html", context)
