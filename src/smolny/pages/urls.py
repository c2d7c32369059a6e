from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, actions, reading

urlpatterns = [
    path("", reading.home, name="home"),
    path("federation", reading.federation, name="federation"),
    path("councils/<str:key>", reading.council, name="council"),
    path("elections/<str:key>", reading.election, name="election"),
    path("motions/<str:key>", reading.motion, name="motion"),
    path("recalls/<str:key>", reading.recall, name="recall"),
    path("members/<str:key>", reading.member, name="member"),
    path("health", reading.health, name="health"),
    path("record", reading.record, name="record"),
    path("record/entries/<int:seq>", reading.entry, name="entry"),
    path("act/<str:name>", actions.act, name="act"),
    path("signin", account.SignIn.as_view(), name="signin"),
    path("signout", auth_views.LogoutView.as_view(next_page="home"), name="signout"),
    path("join", account.join, name="join"),
    path("problems/<str:code>", reading.problem, name="problem"),
]
