from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from sameboat.networks.selectors import signup_target


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Signup is by a network's invitation link, or into a network open to anyone."""
        return signup_target(request) is not None
