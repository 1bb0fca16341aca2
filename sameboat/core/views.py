import logging
import sys
import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader

from sameboat.networks.selectors import networks_of

logger = logging.getLogger("sameboat.errors")


def home(request: HttpRequest) -> HttpResponse:
    """Visitors see what Sameboat is; members go to their network, or choose one."""
    if not request.user.is_authenticated:
        return render(request, "core/home.html")
    networks = list(networks_of(user=request.user)[:2])
    if len(networks) == 1:
        return redirect("networks:dashboard", network=networks[0].slug)
    return redirect("networks:list")


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process answers and the database is reachable."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the error page shows an id the person can give to support, and the same id
    is logged with the traceback, so that support finds the failure among the logs (ASVS
    7.4.1) without the page telling anything of what went wrong.

    Django calls this from inside its handling of the exception, so sys.exc_info() is still
    the failure. The template is rendered without the request: its context processors (the
    user, the session) may be what failed."""
    error_id = uuid.uuid4().hex
    logger.error(
        "Internal server error %s: %s %s",
        error_id,
        request.method,
        request.path,
        exc_info=sys.exc_info(),
        extra={"error_id": error_id, "status_code": 500},
    )
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"error_id": error_id}))
