from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from sameboat.audit.services import audit_record
from sameboat.networks.selectors import signup_target


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Signup is by a network's invitation link, or into a network open to anyone."""
        return signup_target(request) is not None

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses a login once its failed-login limit is used up; the lockout goes
        to the audit log (ASVS 7.2.1), for the page and the API token endpoint alike."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                via = "api" if request.path.startswith("/api/") else "web"
                audit_record(action="security.login_locked", detail={"via": via}, request=request)
            raise

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # The chosen name goes in with the first write: only an erased person is stored
        # without one (the user_named_unless_erased constraint; sameboat.core.erasable).
        user.display_name = form.cleaned_data.get("display_name", "").strip()
        return super().save_user(request, user, form, commit)
