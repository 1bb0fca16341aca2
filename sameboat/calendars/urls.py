from django.urls import path

from sameboat.calendars import views

app_name = "calendars"
urlpatterns = [
    path("n/<slug:network>/calendar/", views.calendar_page, name="page"),
    path("n/<slug:network>/calendar/reset/", views.calendar_reset, name="reset"),
    # Fetched by calendar clients, which cannot log in: the secret in the address stands in
    # for the person (see CalendarFeed). `slug` matches the secret's characters exactly.
    path("calendar/<slug:feed_token>.ics", views.feed, name="feed"),
    path(
        "calendar/<slug:feed_token>/groups/<int:group_id>.ics",
        views.group_feed,
        name="group_feed",
    ),
]
