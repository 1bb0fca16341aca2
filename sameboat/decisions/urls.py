from django.urls import path

from sameboat.decisions import views

app_name = "decisions"
urlpatterns = [
    path("decisions/", views.proposal_list, name="list"),
    path("decisions/new/", views.proposal_create, name="create"),
    path("decisions/<int:decision_id>/", views.proposal_detail, name="detail"),
    path("decisions/<int:decision_id>/stance/", views.stance, name="stance"),
    path("decisions/<int:decision_id>/resolve/", views.resolve, name="resolve"),
    path("decisions/<int:decision_id>/close/", views.close, name="close"),
    path("decisions/<int:decision_id>/withdraw/", views.withdraw, name="withdraw"),
    path("groups/<int:group_id>/decisions/", views.group_proposal_list, name="group_list"),
    path("groups/<int:group_id>/decisions/new/", views.group_proposal_create, name="group_create"),
]
