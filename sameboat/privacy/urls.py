from django.urls import path

from sameboat.privacy import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.privacy_home, name="home"),
    path("privacy/export/", views.export_download, name="export"),
    path("privacy/erase/", views.erase_account, name="erase"),
    path(
        "n/<slug:network>/members/<int:member_id>/erase/",
        views.member_erase,
        name="member_erase",
    ),
]
