"""The HSDS read API, mounted at /api/hsds/<network>/ (see `hsds_api.py`). Paths are the
HSDS API reference's own, without a trailing slash as it writes them; an id that is no
UUID is simply not found."""

from django.urls import path

from sameboat.directory import hsds_api

app_name = "hsds"
urlpatterns = [
    path("", hsds_api.RootView.as_view(), name="root"),
    path("services", hsds_api.ServiceListView.as_view(), name="services"),
    path("services/<str:id>", hsds_api.ServiceDetailView.as_view(), name="service"),
    path("organizations", hsds_api.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<str:id>", hsds_api.OrganizationDetailView.as_view(), name="organization"),
    path("taxonomies", hsds_api.TaxonomyListView.as_view(), name="taxonomies"),
    path("taxonomies/<str:id>", hsds_api.TaxonomyDetailView.as_view(), name="taxonomy"),
    path("taxonomy_terms", hsds_api.TaxonomyTermListView.as_view(), name="taxonomy_terms"),
    path(
        "taxonomy_terms/<str:id>", hsds_api.TaxonomyTermDetailView.as_view(), name="taxonomy_term"
    ),
    path(
        "service_at_locations",
        hsds_api.ServiceAtLocationListView.as_view(),
        name="service_at_locations",
    ),
    path(
        "service_at_locations/<str:id>",
        hsds_api.ServiceAtLocationDetailView.as_view(),
        name="service_at_location",
    ),
]
