"""allauth.usersessions lists every person's sessions in Django's admin, with the address and
browser of each. Staff have no need of that (a person ends their own sessions on their
sessions page; erasure removes the lines), so the list is taken out of the admin."""

from allauth.usersessions.models import UserSession
from django.contrib import admin

if admin.site.is_registered(UserSession):
    admin.site.unregister(UserSession)
