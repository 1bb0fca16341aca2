"""Pages for asks, offers and matches. Included at n/<slug:network>/, so every view takes
the network's slug as `network`."""

from django.urls import path

from sameboat.aid import views

app_name = "aid"
urlpatterns = [
    path("asks/", views.ask_list, name="ask_list"),
    path("asks/new/", views.ask_create, name="ask_create"),
    path("asks/<int:pk>/", views.ask_detail, name="ask_detail"),
    path("asks/<int:pk>/edit/", views.ask_edit, name="ask_edit"),
    path("asks/<int:pk>/status/", views.ask_transition, name="ask_transition"),
    path("asks/<int:pk>/help/", views.ask_answer, name="ask_answer"),
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/status/", views.offer_transition, name="offer_transition"),
    path("offers/<int:pk>/request/", views.offer_answer, name="offer_answer"),
    path("mine/", views.mine, name="mine"),
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/accept/", views.match_accept, name="match_accept"),
    path("matches/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("matches/<int:pk>/cancel/", views.match_cancel, name="match_cancel"),
    path("matches/<int:pk>/complete/", views.match_complete, name="match_complete"),
    path("matches/<int:pk>/feedback/", views.match_feedback, name="match_feedback"),
    path("coordinate/", views.coordinate, name="coordinate"),
    path("coordinate/pair/", views.coordinate_pair, name="coordinate_pair"),
]
