"""Pages for matching. Included at n/<slug:network>/, so every view takes the network's slug
as `network`."""

from django.urls import path

from sameboat.matching import views

app_name = "matching"
urlpatterns = [
    path("matching/", views.coordinate, name="coordinate"),
    path("matching/run/", views.run, name="run"),
    path("matching/review/", views.review, name="review"),
    path("matching/settings/", views.settings, name="settings"),
    path("matching/proposals/<int:pk>/", views.proposal, name="proposal"),
    path("matching/me/", views.preferences, name="preferences"),
    path("matching/blocks/", views.blocks, name="blocks"),
]
