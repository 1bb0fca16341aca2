from django.urls import path

from sameboat.goals import views

app_name = "goals"
GOALS = "groups/<int:group_id>/goals"
urlpatterns = [
    path("goals/", views.mine, name="mine"),
    path(f"{GOALS}/", views.group_goals, name="group"),
    path(f"{GOALS}/new/", views.create_personal, name="create_personal"),
    path(f"{GOALS}/new-group-goal/", views.create_group, name="create_group"),
    path(f"{GOALS}/<int:goal_id>/", views.detail, name="detail"),
    path(f"{GOALS}/<int:goal_id>/edit/", views.edit, name="edit"),
    path(f"{GOALS}/<int:goal_id>/check-in/", views.check_in, name="check_in"),
    path(f"{GOALS}/members/<int:member_id>/", views.member_goals, name="member"),
]
