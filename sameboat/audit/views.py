"""The audit log page: a network's admins read their network's log, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from sameboat import policy
from sameboat.audit import selectors
from sameboat.audit.actions import action_label
from sameboat.audit.forms import AuditFilterForm
from sameboat.audit.services import audit_record
from sameboat.core.access import network_access, render_network_page

PAGE_SIZE = 50


@login_required
def audit_log(request: HttpRequest, network: str) -> HttpResponse:
    access = network_access(request, network)
    if not policy.can_read_audit_log(access.member):
        raise Http404
    form = AuditFilterForm(
        request.GET or None,
        actions=selectors.action_choices(network=access.network),
        actors=selectors.actor_choices(network=access.network),
    )
    if form.is_bound and not form.is_valid():
        return render_network_page(
            request, access, "audit/log.html", {"form": form, "page": None}, status=400
        )
    filters = form.filters() if form.is_bound else selectors.AuditFilters()
    page = Paginator(selectors.events_of(network=access.network, filters=filters), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "label": action_label(event.action),
            "detail": sorted(event.detail.items()) if isinstance(event.detail, dict) else [],
        }
        for event in page_obj.object_list
    ]
    # Reading the log is itself recorded (after the page was read, so it shows next time).
    audit_record(
        action="audit.view",
        network=access.network,
        request=request,
        detail={
            "page": page_obj.number,
            "action": filters.action,
            "actor": filters.actor_ref,
        },
    )
    return render_network_page(
        request, access, "audit/log.html", {"form": form, "page": page_obj, "rows": rows}
    )
