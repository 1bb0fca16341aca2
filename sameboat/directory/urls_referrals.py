"""Referral and partnership pages, joined to the directory's URLs (namespace "directory")
under /n/<network>/."""

from django.urls import URLPattern, path

from sameboat.directory import views_referrals as views

urlpatterns: list[URLPattern] = [
    path("referrals/", views.referral_list, name="referral_list"),
    path("referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/report/", views.referral_report, name="referral_report"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("referrals/<int:referral_id>/status/", views.referral_status, name="referral_status"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path(
        "partnerships/<int:partnership_id>/edit/",
        views.partnership_edit,
        name="partnership_edit",
    ),
]
