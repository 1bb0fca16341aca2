from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin's own login form takes a password alone: no two-factor code, no rate limits.
# Sending it to allauth's login instead makes a staff login pass both (allauth docs, "Admin").
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# The error page shows an id, logged with the traceback, to give to support (ASVS 7.4.1).
handler500 = "sameboat.core.views.server_error"

urlpatterns = [
    path("", include("sameboat.core.urls")),
    path("accounts/sessions/", include("sameboat.accounts.session_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("sameboat.accounts.urls")),
    path("", include("sameboat.privacy.urls")),
    path("", include("sameboat.networks.urls")),
    path("n/<slug:network>/", include("sameboat.aid.urls")),
    path("n/<slug:network>/", include("sameboat.ledger.urls")),
    path("n/<slug:network>/", include("sameboat.matching.urls")),
    path("n/<slug:network>/", include("sameboat.groups.urls")),
    path("n/<slug:network>/", include("sameboat.decisions.urls")),
    path("n/<slug:network>/", include("sameboat.goals.urls")),
    path("", include("sameboat.calendars.urls")),
    path("n/<slug:network>/", include("sameboat.directory.urls")),
    path("n/<slug:network>/", include("sameboat.audit.urls")),
    path("api/hsds/<slug:network>/", include("sameboat.directory.hsds_urls")),
    path("", include("sameboat.notifications.urls")),
    path("api/", include("sameboat.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
