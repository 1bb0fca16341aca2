from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from sameboat.networks.selectors import signup_target


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Signup is by a network's invitation link, or into a network open to anyone."""
        return signup_target(request) is not None

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # The chosen name goes in with the first write: only an erased person is stored
        # without one (the user_named_unless_erased constraint; sameboat.core.erasable).
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        return super().save_user(request, user, form, commit)
