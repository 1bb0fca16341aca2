"""The audit log in Chromium: an admin opens it from the navigation, filters it by action,
on a desktop and on a phone-sized screen; axe checks each state. The flush between browser
tests empties the append-only table too (sameboat.audit's flush command)."""

import re

import pytest

from conftest import PASSWORD
from sameboat.audit.models import AuditEvent
from sameboat.audit.services import audit_record
from sameboat.networks.models import Role

pytestmark = pytest.mark.browser


def test_an_admin_reads_and_filters_the_log(
    browser, live_server, assert_accessible, seeded_languages, network, make_member
):
    admin = make_member(Role.ADMIN, display_name="Ada")
    helper = make_member(Role.COORDINATOR, display_name="Cora")
    audit_record(action="roles.change", network=network, actor=admin.user, target="member:3")
    audit_record(action="privacy.export", network=network, actor=helper.user, target="user:8")
    base = live_server.url
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 740}):
        page = browser.new_context(viewport=viewport).new_page()
        page.set_default_timeout(30_000)
        page.goto(base + "/accounts/login/")
        page.locator("#id_login").fill(admin.user.email)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r".*/n/riverside/$"))
        page.get_by_role("link", name="Audit log").click()
        page.wait_for_url(re.compile(r".*/n/riverside/audit/$"))
        assert_accessible(page)
        table = page.get_by_role("table")
        assert "Exported personal data" in table.inner_text()
        assert "Changed a role" in table.inner_text()
        page.get_by_label("Action").select_option(label="Changed a role")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url(re.compile(r".*action=roles\.change.*"))
        assert_accessible(page)
        text = page.get_by_role("table").inner_text()
        assert "member:3" in text and "user:8" not in text
        # On a phone the page itself does not scroll sideways (the table scrolls in its box).
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1
        page.context.close()
    assert AuditEvent.objects.filter(action="audit.view", actor=admin.user).count() >= 4
