"""Mounted at accounts/sessions/ ahead of allauth's URLs: this page answers there instead of
allauth.usersessions' own (whose name, usersessions_list, leads to the same address)."""

from django.urls import path

from sameboat.accounts import session_views

urlpatterns = [path("", session_views.sessions, name="account_sessions")]
