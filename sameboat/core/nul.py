"""No NUL character reaches the database.

PostgreSQL refuses a NUL (U+0000) in text and in jsonb, so one that got as far as a query
would be a 500 (and on SQLite a string cut short). Django's form CharField and DRF's
CharField refuse it already; these close the other ways in, once for every view:

- `RejectNulMiddleware`: a NUL in the path, a query parameter (name or value) or a form
  field of the request is a 400 with a plain message (in the API, naming the parameter),
  before any view runs, so neither a filter nor a search nor a form field of another kind
  passes one on;
- `JSONParser`: the API's JSON bodies, in which a NUL is written `\\u0000`, anywhere in the
  document (a key, a string in a list or a nested object): a 400 before any serializer.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

NUL = "\x00"


def message() -> str:
    return _("Text may not contain null characters (U+0000).")


def holds_nul(value: Any) -> bool:
    """Whether a NUL is anywhere in `value`: a string, or the keys and values of a parsed
    JSON document."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(holds_nul(item) for item in value)
    return False


def _nul_among(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The name of the first parameter with a NUL in its name or a value."""
    for key, values in pairs:
        if NUL in key:
            return DETAIL
        if any(NUL in value for value in values):
            return key
    return None


DETAIL = "detail"


def nul_in(request: HttpRequest) -> str | None:
    """Where the request holds a NUL: the query or form parameter's name, or `detail` (the
    path, or a parameter's name); None when it holds none."""
    if NUL in request.path:
        return DETAIL
    found = _nul_among(request.GET.lists())
    if found is None and request.method == "POST" and request.content_type in FORMS:
        try:
            found = _nul_among(request.POST.lists())
        except MultiPartParserError:
            return None  # the view's own parsing answers a body it cannot read
    return found


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where = nul_in(request)
        if where is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # The API's 400s name the parameter, as its own validation does.
            body: dict[str, object] = (
                {DETAIL: message()} if where == DETAIL else {where: [message()]}
            )
            return JsonResponse(body, status=400)
        return HttpResponseBadRequest(message(), content_type="text/plain; charset=utf-8")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a document with a NUL anywhere in it."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if holds_nul(data):
            raise ParseError(message())
        return data
