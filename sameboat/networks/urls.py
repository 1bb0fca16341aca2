from django.urls import path

from sameboat.networks import views, views_security

app_name = "networks"
urlpatterns = [
    path("networks/", views.network_list, name="list"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("n/<slug:network>/", views.dashboard, name="dashboard"),
    path("n/<slug:network>/me/", views.membership, name="membership"),
    path("n/<slug:network>/join/", views.join, name="join"),
    path("n/<slug:network>/invitations/", views.invitations, name="invitations"),
    path("n/<slug:network>/members/", views.member_list, name="members"),
    path("n/<slug:network>/members/<int:member_id>/role/", views.member_role, name="member_role"),
    path("n/<slug:network>/areas/", views.areas, name="areas"),
    path("n/<slug:network>/security/", views_security.security, name="security"),
    path("n/<slug:network>/areas/<int:area_id>/", views.area_edit, name="area_edit"),
    path("n/<slug:network>/areas/<int:area_id>/delete/", views.area_delete, name="area_delete"),
]
