"""ASVS 3.3.4: a person sees where they are logged in and ends one, every other or every
session, after giving their password again; an ended session is really over (its cookie opens
nothing); each ending is audited by ids; nobody sees or ends another person's sessions."""

from datetime import timedelta

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import admin
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from sameboat.accounts.session_views import browser_name
from sameboat.accounts.user_sessions import outlived_sessions_purge
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Member
from sameboat.privacy.services import account_erase

SESSIONS = reverse("account_sessions")
PROFILE = reverse("accounts:profile")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def logged_in(
    member: Member, *, user_agent: str = FIREFOX, address: str = "198.51.100.7"
) -> Client:
    """A browser logged in through the login form, as a person does."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def line_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=session_key(client))


def end(client: Client, data: dict[str, str]) -> None:
    """Ask to end sessions; allauth asks for the password first and then does what was asked."""
    response = client.post(SESSIONS, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    resumed = client.post(response["Location"], {"password": PASSWORD})
    assert resumed.status_code == 302


def test_the_page_lists_the_persons_own_sessions_only(member: Member, helper: Member) -> None:
    laptop = logged_in(member)
    logged_in(member, user_agent=PHONE, address="203.0.113.9")
    logged_in(helper, address="192.0.2.44")

    page = laptop.get(SESSIONS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Firefox on Linux" in html and "Chrome on Android" in html
    # Their own addresses, each once; never the other person's.
    assert "198.51.100.7" in html and "203.0.113.9" in html
    assert "192.0.2.44" not in html
    assert html.count("This session</span>") == 1
    assert UserSession.objects.filter(user=member.user).count() == 2


def test_the_page_asks_anonymous_visitors_to_log_in(db: None) -> None:
    response = Client().get(SESSIONS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_ending_another_session_logs_that_browser_out(member: Member) -> None:
    laptop = logged_in(member)
    phone = logged_in(member, user_agent=PHONE, address="203.0.113.9")
    phone_line = line_of(phone)
    assert phone.get(PROFILE).status_code == 200

    # The password is asked first: until it is given, nothing ends.
    response = laptop.post(SESSIONS, {"scope": "one", "session": str(phone_line.pk)})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert phone.get(PROFILE).status_code == 200

    resumed = laptop.post(response["Location"], {"password": PASSWORD})
    assert resumed.status_code == 302
    gone = phone.get(PROFILE)
    assert gone.status_code == 302
    assert gone["Location"].startswith(reverse("account_login"))
    assert not Session.objects.filter(session_key=phone_line.session_key).exists()
    assert not UserSession.objects.filter(pk=phone_line.pk).exists()
    # The laptop is still logged in, and the page no longer lists the phone.
    assert laptop.get(PROFILE).status_code == 200
    assert "Chrome on Android" not in laptop.get(SESSIONS).content.decode()

    event = AuditEvent.objects.get(action="security.sessions_ended")
    assert event.actor_ref == member.user.pk
    assert event.target == f"user:{member.user.pk}"
    assert event.detail == {"scope": "one", "sessions": [phone_line.pk], "current": False}


def test_ending_every_other_session_keeps_this_one(member: Member) -> None:
    laptop = logged_in(member)
    phone = logged_in(member, user_agent=PHONE)
    tablet = logged_in(member, user_agent="SomeApp/1.0")
    end(laptop, {"scope": "others"})
    assert phone.get(PROFILE).status_code == 302
    assert tablet.get(PROFILE).status_code == 302
    assert laptop.get(PROFILE).status_code == 200
    assert list(UserSession.objects.filter(user=member.user)) == [line_of(laptop)]


def test_ending_every_session_logs_this_one_out_too(member: Member) -> None:
    laptop = logged_in(member)
    phone = logged_in(member, user_agent=PHONE)
    end(laptop, {"scope": "all"})
    assert laptop.get(PROFILE).status_code == 302
    assert phone.get(PROFILE).status_code == 302
    assert not UserSession.objects.filter(user=member.user).exists()
    event = AuditEvent.objects.get(action="security.sessions_ended")
    assert event.detail["current"] is True and len(event.detail["sessions"]) == 2


def test_another_persons_session_cannot_be_ended(member: Member, helper: Member) -> None:
    mine = logged_in(member)
    theirs = logged_in(helper)
    end(mine, {"scope": "one", "session": str(line_of(theirs).pk)})
    assert theirs.get(PROFILE).status_code == 200
    assert UserSession.objects.filter(user=helper.user).count() == 1


def test_after_a_password_change_the_list_holds_the_session_that_made_it(
    member: Member,
) -> None:
    laptop = logged_in(member)
    phone = logged_in(member, user_agent=PHONE)
    new_password = "a-new-and-long-passphrase"
    response = phone.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    # The laptop's session ended with the old password; the phone's got a new key, listed.
    assert laptop.get(PROFILE).status_code == 302
    html = phone.get(SESSIONS).content.decode()
    assert "Chrome on Android" in html and "Firefox on Linux" not in html
    assert html.count("This session</span>") == 1
    assert list(UserSession.objects.filter(user=member.user)) == [line_of(phone)]


def test_erasure_removes_the_persons_session_lines(member: Member) -> None:
    logged_in(member)
    assert UserSession.objects.filter(user=member.user).exists()
    account_erase(user=member.user, erased_by=None)
    assert not UserSession.objects.filter(user=member.user).exists()


def test_lines_of_sessions_past_the_absolute_age_are_purged(member: Member) -> None:
    old = logged_in(member)
    fresh = logged_in(member, user_agent=PHONE)
    UserSession.objects.filter(session_key=session_key(old)).update(
        created_at=timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_AGE + 60)
    )
    old_key = session_key(old)
    assert outlived_sessions_purge(now=timezone.now()) == 1
    assert not Session.objects.filter(session_key=old_key).exists()
    assert list(UserSession.objects.filter(user=member.user)) == [line_of(fresh)]


def test_staff_do_not_get_everyones_sessions_in_the_admin() -> None:
    assert not admin.site.is_registered(UserSession)


def test_browser_names_are_short_and_plain() -> None:
    assert browser_name(FIREFOX) == "Firefox on Linux"
    assert browser_name(PHONE) == "Chrome on Android"
    assert browser_name("") == "Unknown browser"
    assert browser_name("x" * 200).endswith("…") and len(browser_name("x" * 200)) == 60
