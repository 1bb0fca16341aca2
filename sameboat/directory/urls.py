from django.urls import path

from sameboat.directory import views

app_name = "directory"
# The directory's pages: reading it, and keeping it (entries, import, export, publishing).
urlpatterns: list = [
    path("directory/", views.directory_home, name="home"),
    path("directory/services/new/", views.service_create, name="service_create"),
    path("directory/services/<uuid:service_id>/", views.service_detail, name="service"),
    path("directory/services/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
    path(
        "directory/services/<uuid:service_id>/delete/",
        views.service_delete,
        name="service_delete",
    ),
    path("directory/organizations/new/", views.organization_create, name="organization_create"),
    path(
        "directory/organizations/<uuid:organization_id>/",
        views.organization_detail,
        name="organization",
    ),
    path(
        "directory/organizations/<uuid:organization_id>/edit/",
        views.organization_edit,
        name="organization_edit",
    ),
    path(
        "directory/organizations/<uuid:organization_id>/delete/",
        views.organization_delete,
        name="organization_delete",
    ),
    path("directory/import/", views.directory_import, name="import"),
    path("directory/import/<uuid:run_id>/", views.import_run, name="import_run"),
    path("directory/export.json", views.directory_export, {"form": "json"}, name="export_json"),
    path("directory/export.zip", views.directory_export, {"form": "zip"}, name="export_zip"),
    path("directory/publishing/", views.directory_publishing, name="publishing"),
]

# Referrals and partnerships.
from sameboat.directory.urls_referrals import urlpatterns as referral_urlpatterns  # noqa: E402

urlpatterns += referral_urlpatterns

# Finding help: the members' search.
from sameboat.directory import views_search  # noqa: E402

urlpatterns += [path("directory/search/", views_search.directory_search, name="search")]
