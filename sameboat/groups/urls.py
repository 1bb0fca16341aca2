from django.urls import path

from sameboat.groups import views

app_name = "groups"
urlpatterns = [
    path("groups/", views.group_list, name="list"),
    path("groups/new/", views.group_create, name="create"),
    path("groups/<int:group_id>/", views.group_detail, name="detail"),
    path("groups/<int:group_id>/edit/", views.group_edit, name="edit"),
    path("groups/<int:group_id>/plan/", views.plan_edit, name="plan"),
    path("groups/<int:group_id>/stages/", views.stage_create, name="stage"),
    path("groups/<int:group_id>/join/", views.join, name="join"),
    path("groups/<int:group_id>/leave/", views.leave, name="leave"),
    path("groups/<int:group_id>/approve/", views.approve, name="approve"),
    path("groups/<int:group_id>/members/add/", views.member_add, name="member_add"),
    path("groups/<int:group_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/",
        views.meeting_detail,
        name="meeting",
    ),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/agenda/",
        views.agenda_propose,
        name="meeting_agenda",
    ),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/attendance/",
        views.attendance,
        name="meeting_attendance",
    ),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/roles/assign/",
        views.roles_assign,
        name="meeting_roles_assign",
    ),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/roles/swap/",
        views.roles_swap,
        name="meeting_roles_swap",
    ),
]

# Session records, check-ins and participation equity.
urlpatterns += [
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/record/",
        views.meeting_record,
        name="meeting_record",
    ),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/check-in/",
        views.meeting_check_in,
        name="meeting_check_in",
    ),
    path(
        "groups/<int:group_id>/meetings/<int:meeting_id>/check-in/withdraw/",
        views.meeting_check_in_withdraw,
        name="meeting_check_in_withdraw",
    ),
    path("groups/<int:group_id>/records/", views.group_records, name="records"),
    path("groups/<int:group_id>/equity/", views.group_equity, name="equity"),
]

# Meeting-role availability and times away.
urlpatterns += [
    path("groups/<int:group_id>/availability/", views.availability, name="availability"),
    path(
        "groups/<int:group_id>/availability/away/",
        views.time_away_add,
        name="time_away_add",
    ),
    path(
        "groups/<int:group_id>/availability/away/<int:time_away_id>/remove/",
        views.time_away_remove,
        name="time_away_remove",
    ),
]
