"""allauth's signup form, written in one transaction.

allauth saves the new person, then runs our `SignupExtraForm.signup` (display name, consents,
joining the network, using the invitation), then records the email address: separate writes.
A failure half-way would leave an account without its consents or its network, or an
invitation used by nobody. Here they commit together or not at all (tested in
sameboat/core/tests/test_transactions.py)."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest


class SignupForm(AllauthSignupForm):
    @transaction.atomic
    def save(self, request: HttpRequest) -> AbstractBaseUser:
        return super().save(request)
