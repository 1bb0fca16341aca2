"""A member's giving and receiving: the reciprocity page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sameboat import policy
from sameboat.core.access import network_access
from sameboat.ledger.selectors import exchanges_of_member, member_counterparts, member_reciprocity
from sameboat.networks.models import Member


@login_required
def member(request: HttpRequest, network: str, member_id: int) -> HttpResponse:
    """Hours given and received, with whom: for the member themselves and coordinators."""
    access = network_access(request, network)
    subject = (
        Member.objects.select_related("user").filter(network=access.network, pk=member_id).first()
    )
    if subject is None or not policy.can_view_member_ledger(access.member, subject):
        raise Http404
    page = Paginator(exchanges_of_member(member=subject), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/member.html",
        {
            "network": access.network,
            "viewer": access.member,
            "subject": subject,
            "reciprocity": member_reciprocity(member=subject),
            "counterparts": member_counterparts(member=subject),
            "page": page,
        },
    )
