"""allauth runs some of its work in transaction.on_commit hooks: the signal that audits a new
authenticator, and the notice email about it. On the server the hook runs before the request
ends (autocommit), with allauth's request context still set; a test inside one transaction
runs the hooks only after the test client's request is over, when that context is gone and
the notice email cannot be rendered. This runs them inside a request context, as the server
would."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from allauth.core.context import request_context
from django.test import RequestFactory


@contextmanager
def on_commit_within_a_request(capture: Callable[..., Any]) -> Iterator[None]:
    """`capture` is pytest-django's django_capture_on_commit_callbacks fixture."""
    with request_context(RequestFactory().get("/")), capture(execute=True):
        yield
