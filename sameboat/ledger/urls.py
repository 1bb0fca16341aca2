from django.urls import path

from sameboat.ledger import views

app_name = "ledger"
urlpatterns = [path("people/<int:member_id>/", views.member, name="member")]
