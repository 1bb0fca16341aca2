from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sameboat.networks.selectors import networks_of


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
