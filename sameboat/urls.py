from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sameboat.core.urls")),
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
