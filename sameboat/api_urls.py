"""The REST API, mounted at /api/: version 1 under /api/v1/, the OpenAPI schema and its docs.

Everything under /api/v1/networks/{network_slug}/ answers 404 to anyone who is not an active
member of that network, the same as for a network that does not exist.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from sameboat.accounts.api import MeView, TokenView
from sameboat.aid.api import AskViewSet, MatchViewSet, OfferViewSet
from sameboat.audit.api import AuditEventViewSet
from sameboat.calendars.api import CalendarViewSet
from sameboat.decisions.api import DecisionViewSet
from sameboat.directory.api_referrals import PartnershipViewSet, ReferralViewSet
from sameboat.goals.api import GoalViewSet, MyGoalViewSet
from sameboat.groups.api import (
    GroupAvailabilityViewSet,
    GroupMeetingViewSet,
    GroupSessionViewSet,
)
from sameboat.ledger.api import ExchangeViewSet
from sameboat.matching.api import MatchingRunViewSet, ProposalViewSet
from sameboat.networks.api import AreaViewSet, CategoryViewSet, MemberViewSet, NetworkViewSet
from sameboat.privacy import api as privacy_api

# Path converters rather than regexes: a non-numeric id is a 404, never a query with a string.
router = SimpleRouter(use_regex_path=False)
router.register("networks", NetworkViewSet, basename="api-network")
NETWORK = "networks/<slug:network_slug>"
router.register(f"{NETWORK}/categories", CategoryViewSet, basename="api-category")
router.register(f"{NETWORK}/areas", AreaViewSet, basename="api-area")
router.register(f"{NETWORK}/members", MemberViewSet, basename="api-member")
router.register(f"{NETWORK}/asks", AskViewSet, basename="api-ask")
router.register(f"{NETWORK}/offers", OfferViewSet, basename="api-offer")
router.register(f"{NETWORK}/matches", MatchViewSet, basename="api-match")
router.register(f"{NETWORK}/exchanges", ExchangeViewSet, basename="api-exchange")
router.register(f"{NETWORK}/matching/runs", MatchingRunViewSet, basename="api-matching-run")
router.register(f"{NETWORK}/matching/proposals", ProposalViewSet, basename="api-matching-proposal")
router.register(f"{NETWORK}/groups", GroupMeetingViewSet, basename="api-group")
router.register(f"{NETWORK}/decisions", DecisionViewSet, basename="api-decision")
# Session records, check-ins and equity: more routes under the same /groups/{id}/.
router.register(f"{NETWORK}/groups", GroupSessionViewSet, basename="api-group-session")
# Meeting-role availability and times away, under the same /groups/{id}/; calendar feeds.
router.register(f"{NETWORK}/groups", GroupAvailabilityViewSet, basename="api-group-availability")
router.register(f"{NETWORK}/calendar", CalendarViewSet, basename="api-calendar")
# Goals: a group's, with their check-ins and T-scores; and the caller's own in every group.
router.register(f"{NETWORK}/groups/<int:group_id>/goals", GoalViewSet, basename="api-goal")
router.register(f"{NETWORK}/my-goals", MyGoalViewSet, basename="api-my-goal")
# Referrals to the directory's services, and partnerships with its organisations.
router.register(f"{NETWORK}/referrals", ReferralViewSet, basename="api-referral")
router.register(f"{NETWORK}/partnerships", PartnershipViewSet, basename="api-partnership")
# The audit log: the network's admins only.
router.register(f"{NETWORK}/audit", AuditEventViewSet, basename="api-audit")

v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("me/export/", privacy_api.ExportView.as_view(), name="api-me-export"),
    path("me/consents/", privacy_api.ConsentsView.as_view(), name="api-me-consents"),
    *router.urls,
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file of its own: the page runs under
    # our Content-Security-Policy (script-src 'self'), which refuses inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
