"""The directory's pages: members read it, coordinators keep it. Thin: parse input, ask the
policy, call one service or selector, render. Every page starts from `network_access`, so an
outsider gets the network's 404; a member asking to change the directory gets a 403."""

import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sameboat import policy
from sameboat.aid.forms import add_service_error
from sameboat.audit.services import audit_record
from sameboat.core.access import NetworkAccess, network_access, render_network_page
from sameboat.directory import editing, exporting, tasks
from sameboat.directory.editing import DAYS, EntryInvalid
from sameboat.directory.forms import ImportForm, OrganizationForm, ServicePage
from sameboat.directory.models import (
    Attribute,
    ImportRun,
    ImportStage,
    ImportStatus,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from sameboat.directory.schedules import is_open, next_opening, openings
from sameboat.directory.selectors import (
    directory_published,
    import_run_of,
    import_runs_recent,
)
from sameboat.directory.services import directory_publish
from sameboat.networks.models import Network

PER_PAGE = 50
ORDINALS = {
    "1": gettext_lazy("first"),
    "2": gettext_lazy("second"),
    "3": gettext_lazy("third"),
    "4": gettext_lazy("fourth"),
    "5": gettext_lazy("fifth"),
    "-1": gettext_lazy("last"),
}


def open_status(schedules: list[dict[str, Any]], *, now: datetime) -> str:
    """The short status of a service, in the network's time zone (settings.TIME_ZONE):
    "Open now, until 17:00", "Opens Tuesday 9:00", or "" when its schedules give no hours."""
    zone = timezone.get_current_timezone()
    if is_open(schedules, at=now, zone=zone):
        current = openings(schedules, start=now, end=now + timedelta(microseconds=1), zone=zone)
        return _("Open now, until %(time)s") % {"time": time_format(current[0].closes, "G:i")}
    upcoming = next_opening(schedules, after=now, zone=zone)
    if upcoming is None:
        return ""
    local = timezone.localtime(upcoming.opens)
    if local.date() == timezone.localtime(now).date():
        return _("Opens today %(time)s") % {"time": time_format(local, "G:i")}
    if local.date() - timezone.localtime(now).date() < timedelta(days=7):
        return _("Opens %(day)s %(time)s") % {
            "day": date_format(local, "l"),
            "time": time_format(local, "G:i"),
        }
    return _("Opens %(date)s %(time)s") % {
        "date": date_format(local, "DATE_FORMAT"),
        "time": time_format(local, "G:i"),
    }


def _days_text(schedule: dict[str, Any]) -> str:
    names = dict(
        zip(
            DAYS,
            (
                _("Monday"),
                _("Tuesday"),
                _("Wednesday"),
                _("Thursday"),
                _("Friday"),
                _("Saturday"),
                _("Sunday"),
            ),
            strict=True,
        )
    )
    parts = []
    for part in str(schedule.get("byday") or "").split(","):
        part = part.strip().upper()
        code, nth = part[-2:], part[:-2]
        if code not in names:
            continue
        if nth:
            parts.append(
                _("%(nth)s %(day)s of the month")
                % {"nth": ORDINALS.get(nth.lstrip("+"), nth), "day": names[code]}
            )
        else:
            parts.append(names[code])
    if schedule.get("bymonthday"):
        parts.append(_("day %(days)s of the month") % {"days": schedule["bymonthday"]})
    text = ", ".join(parts)
    interval = schedule.get("interval")
    if interval not in (None, "", 1, 1.0) and schedule.get("freq") == "WEEKLY":
        text = _("every %(n)d weeks: %(days)s") % {"n": int(float(interval)), "days": text}
    return text


def hours_rows(schedules: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The schedules in words, for the hours table (a schedule without a rule keeps its
    description)."""
    rows = []
    for schedule in schedules:
        rows.append(
            {
                "days": _days_text(schedule) if schedule.get("freq") else "",
                "opens": str(schedule.get("opens_at") or ""),
                "closes": str(schedule.get("closes_at") or ""),
                "notes": " ".join(
                    str(schedule[k]) for k in ("description", "notes") if schedule.get(k)
                ),
            }
        )
    return rows


def organizations_and_terms(
    *, network: Network
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    organizations = [
        (str(i), name)
        for i, name in Organization.objects.filter(network=network)
        .order_by("name")
        .values_list("id", "name")
    ]
    terms = [
        (str(i), name)
        for i, name in TaxonomyTerm.objects.filter(network=network)
        .order_by("name")
        .values_list("id", "name")
    ]
    return organizations, terms


def _reader(request: HttpRequest, network: str) -> NetworkAccess:
    access = network_access(request, network)
    if not policy.can_read_directory(access.member):
        raise Http404
    return access


def _keeper(request: HttpRequest, network: str) -> NetworkAccess:
    access = _reader(request, network)
    if not policy.can_keep_directory(access.member):
        raise PermissionDenied
    return access


@login_required
def directory_home(request: HttpRequest, network: str) -> HttpResponse:
    access = _reader(request, network)
    services = Service.objects.filter(network=access.network).order_by("name", "id")
    page = Paginator(services, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [service.id for service in rows]
    organizations = dict(
        Organization.objects.filter(
            network=access.network, id__in={s.organization_id for s in rows}
        ).values_list("id", "name")
    )
    schedules = _schedules_of(access.network, ids)
    terms = _terms_of(access, ids)
    now = timezone.now()
    listing = [
        {
            "service": service,
            "organization": organizations.get(service.organization_id, ""),
            "status": open_status(schedules.get(service.id, []), now=now),
            "terms": terms.get(service.id, []),
        }
        for service in rows
    ]
    keeps = policy.can_keep_directory(access.member)
    return render_network_page(
        request,
        access,
        "directory/home.html",
        {
            "rows": listing,
            "page": page,
            "keeps": keeps,
            "published": directory_published(network=access.network) if keeps else None,
        },
    )


def _schedules_of(network: Network, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each service's schedules, as its page reads them: its own, those of its services at
    locations, and those of the locations it is at (two queries, however many services)."""
    places = list(
        ServiceAtLocation.objects.filter(network=network, service_id__in=ids).values_list(
            "id", "service_id", "location_id"
        )
    )
    by_place = {place: service for place, service, _location in places}
    by_location: dict[uuid.UUID, list[uuid.UUID]] = {}
    for _place, service, location in places:
        if location is not None:
            by_location.setdefault(location, []).append(service)
    found: dict[uuid.UUID, list[dict[str, Any]]] = {}
    query = Schedule.objects.filter(network=network).filter(
        Q(service_id__in=ids)
        | Q(service_at_location_id__in=list(by_place))
        | Q(location_id__in=list(by_location))
    )
    for schedule in query.values():
        if schedule["service_id"] is not None:
            owners = [schedule["service_id"]] if schedule["service_id"] in set(ids) else []
        elif schedule["service_at_location_id"] is not None:
            owners = [by_place[schedule["service_at_location_id"]]]
        elif schedule["location_id"] is not None:
            owners = by_location.get(schedule["location_id"], [])
        else:
            owners = []
        for owner in dict.fromkeys(owners):
            found.setdefault(owner, []).append(dict(schedule))
    return found


def _terms_of(access: NetworkAccess, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    links = list(
        Attribute.objects.filter(
            network=access.network, link_entity="service", link_id__in=ids
        ).values_list("link_id", "taxonomy_term_id")
    )
    names = dict(
        TaxonomyTerm.objects.filter(
            network=access.network, id__in={term for _link, term in links}
        ).values_list("id", "name")
    )
    found: dict[uuid.UUID, list[str]] = {}
    for link, term in links:
        if term in names:
            found.setdefault(link, []).append(names[term])
    return found


@login_required
def service_detail(request: HttpRequest, network: str, service_id: uuid.UUID) -> HttpResponse:
    access = _reader(request, network)
    document = editing.service_document(network=access.network, service_id=service_id)
    if document is None:
        raise Http404
    # Its own schedules, its places', and its locations': each once (a schedule may name
    # both the service and a location, and so be nested twice).
    nested = list(document.get("schedules", []))
    for place in document.get("service_at_locations", []):
        here = place.get("schedules", []) + (place.get("location") or {}).get("schedules", [])
        nested += here
        # The hours at each place, beside it (they are in the week's table too).
        place["hours_here"] = hours_rows(list({s["id"]: s for s in here}.values()))
    all_schedules = list({schedule["id"]: schedule for schedule in nested}.values())
    terms = _terms_of(access, [service_id]).get(service_id, [])
    return render_network_page(
        request,
        access,
        "directory/service_detail.html",
        {
            "service": document,
            "status": open_status(all_schedules, now=timezone.now()),
            "hours": hours_rows(all_schedules),
            "terms": terms,
            "keeps": policy.can_keep_directory(access.member),
        },
    )


@login_required
def organization_detail(
    request: HttpRequest, network: str, organization_id: uuid.UUID
) -> HttpResponse:
    access = _reader(request, network)
    document = editing.organization_document(
        network=access.network, organization_id=organization_id
    )
    if document is None:
        raise Http404
    return render_network_page(
        request,
        access,
        "directory/organization_detail.html",
        {"organization": document, "keeps": policy.can_keep_directory(access.member)},
    )


def _service_form_page(
    request: HttpRequest, network: str, service_id: uuid.UUID | None
) -> HttpResponse:
    access = _keeper(request, network)
    document = None
    if service_id is not None:
        document = editing.service_document(network=access.network, service_id=service_id)
        if document is None:
            raise Http404
    organizations, terms = organizations_and_terms(network=access.network)
    page = ServicePage(
        request.POST or None, document=document, organizations=organizations, terms=terms
    )
    status = 200
    if request.method == "POST":
        if page.is_valid():
            try:
                saved = editing.service_save(
                    network=access.network,
                    service_id=service_id,
                    fields=page.fields_for_save(),
                )
            except EntryInvalid as error:
                page.show(error.faults)
            else:
                messages.success(request, _("Service saved."))
                return redirect("directory:service", network=access.network.slug, service_id=saved)
        status = 400
    return render_network_page(
        request,
        access,
        "directory/service_form.html",
        {
            "form": page.form,
            "page": page,
            "service": document,
            # Schedules richer than a weekly hours row are kept as they are; say so.
            "kept": hours_rows(editing.weekly_hours(document)[1]) if document else [],
        },
        status=status,
    )


@login_required
def service_create(request: HttpRequest, network: str) -> HttpResponse:
    return _service_form_page(request, network, None)


@login_required
def service_edit(request: HttpRequest, network: str, service_id: uuid.UUID) -> HttpResponse:
    return _service_form_page(request, network, service_id)


@login_required
@require_POST
def service_delete(request: HttpRequest, network: str, service_id: uuid.UUID) -> HttpResponse:
    access = _keeper(request, network)
    if not Service.objects.filter(network=access.network, id=service_id).exists():
        raise Http404
    editing.service_delete(network=access.network, service_id=service_id)
    messages.success(request, _("Service deleted."))
    return redirect("directory:home", network=access.network.slug)


def _organization_form_page(
    request: HttpRequest, network: str, organization_id: uuid.UUID | None
) -> HttpResponse:
    access = _keeper(request, network)
    document = None
    if organization_id is not None:
        document = editing.organization_document(
            network=access.network, organization_id=organization_id
        )
        if document is None:
            raise Http404
    initial = (
        {k: document.get(k, "") for k in ("name", "description", "email", "website")}
        if document
        else {}
    )
    form = OrganizationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = editing.organization_save(
                    network=access.network,
                    organization_id=organization_id,
                    fields=editing.OrganizationFields(**form.cleaned_data),
                )
            except EntryInvalid as error:
                for reason in error.reasons[:10]:
                    form.add_error(None, _("Not valid HSDS: %(reason)s") % {"reason": reason})
            else:
                messages.success(request, _("Organisation saved."))
                return redirect(
                    "directory:organization",
                    network=access.network.slug,
                    organization_id=saved,
                )
        status = 400
    return render_network_page(
        request,
        access,
        "directory/organization_form.html",
        {"form": form, "organization": document},
        status=status,
    )


@login_required
def organization_create(request: HttpRequest, network: str) -> HttpResponse:
    return _organization_form_page(request, network, None)


@login_required
def organization_edit(
    request: HttpRequest, network: str, organization_id: uuid.UUID
) -> HttpResponse:
    return _organization_form_page(request, network, organization_id)


@login_required
@require_POST
def organization_delete(
    request: HttpRequest, network: str, organization_id: uuid.UUID
) -> HttpResponse:
    access = _keeper(request, network)
    if not Organization.objects.filter(network=access.network, id=organization_id).exists():
        raise Http404
    editing.organization_delete(network=access.network, organization_id=organization_id)
    messages.success(request, _("Organisation deleted, with its services."))
    return redirect("directory:home", network=access.network.slug)


@login_required
def directory_import(request: HttpRequest, network: str) -> HttpResponse:
    access = _keeper(request, network)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = tasks.run_start(
                    network=access.network,
                    started_by=access.member.user,
                    name=upload.name,
                    content=upload.read(),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return redirect("directory:import_run", network=access.network.slug, run_id=run.pk)
        status = 400
    return render_network_page(
        request,
        access,
        "directory/import.html",
        {
            "form": form,
            "runs": import_runs_recent(network=access.network),
            "keep_days": tasks.KEEP_DAYS,
        },
        status=status,
    )


def _run_headline(run: ImportRun) -> str:
    """What the run's page says it is doing: read out (role=status) whenever it changes."""
    if run.status == ImportStatus.DONE:
        return _("Import finished: %(read)d documents or rows read, %(invalid)d invalid.") % {
            "read": run.sources,
            "invalid": run.rejected,
        }
    if run.status == ImportStatus.FAILED:
        return _("The file could not be imported: %(error)s") % {"error": run.error}
    if run.status == ImportStatus.QUEUED or not run.stage:
        return _("Waiting for the worker…")
    return f"{ImportStage(run.stage).label}…"


@login_required
def import_run(request: HttpRequest, network: str, run_id: uuid.UUID) -> HttpResponse:
    access = _keeper(request, network)
    run = import_run_of(network=access.network, run_id=run_id)
    if run is None:
        raise Http404
    # The page polls itself (htmx) while the run goes on, saying what it last showed: the
    # headline, a live region, is sent again only when it changed, so that a screen reader
    # reads each stage once rather than every two seconds.
    shown = f"{run.status}.{run.stage}"
    return render_network_page(
        request,
        access,
        "directory/import_run.html",
        {
            "run": run,
            "headline": _run_headline(run),
            "shown": shown,
            "announce": bool(request.headers.get("HX-Request"))
            and request.GET.get("shown") != shown,
        },
    )


@login_required
def directory_export(request: HttpRequest, network: str, form: str) -> HttpResponseBase:
    access = _keeper(request, network)
    stamp = datetime.now().strftime("%Y%m%d")
    folder = Path(tempfile.mkdtemp(prefix="hsds-export-"))
    # The exporters validate every document or row against the official schemas as they go.
    suffix, content_type = (
        (".json", "application/json") if form == "json" else (".zip", "application/zip")
    )
    path = folder / f"hsds-{access.network.slug}-{stamp}{suffix}"
    try:
        if form == "json":
            exporting.write_json(access.network, path, "service")
        else:
            exporting.write_package(access.network, path)
    except exporting.ExportInvalid as error:
        # Only records changed outside the pages and imports could get here; say which.
        path.unlink(missing_ok=True)
        folder.rmdir()
        messages.error(
            request,
            _("Nothing was exported: a record is not valid HSDS (%(error)s).") % {"error": error},
        )
        return redirect("directory:home", network=access.network.slug)
    audit_record(
        action="directory.export",
        network=access.network,
        target=f"network:{access.network.pk}",
        detail={"format": form},
        request=request,
    )
    handle = path.open("rb")
    # Unlinked while open: the file lives until the response is sent, and leaves no trace.
    path.unlink()
    folder.rmdir()
    return FileResponse(handle, as_attachment=True, filename=path.name, content_type=content_type)


@login_required
def directory_publishing(request: HttpRequest, network: str) -> HttpResponse:
    access = _keeper(request, network)
    if request.method == "POST":
        published = request.POST.get("published") == "yes"
        directory_publish(network=access.network, published=published)
        messages.success(
            request,
            _("The directory is published.")
            if published
            else _("The directory is no longer published."),
        )
        return redirect("directory:publishing", network=access.network.slug)
    return render_network_page(
        request,
        access,
        "directory/publishing.html",
        {"published": directory_published(network=access.network)},
    )
