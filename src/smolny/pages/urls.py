from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, actions, booth, freedoms, reading

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
    # freedoms: tendencies, the bulletin, fair shares, cases, rights, data
    path("councils/<str:key>/tendencies", freedoms.tendencies, name="tendencies"),
    path("councils/<str:key>/bulletin", freedoms.bulletin, name="bulletin"),
    path("councils/<str:key>/shares", freedoms.shares, name="shares"),
    path("councils/<str:key>/cases", freedoms.cases, name="cases"),
    path("councils/<str:key>/charge", freedoms.charge, name="charge"),
    path("tendencies/<str:key>", freedoms.tendency, name="tendency"),
    path("tendencies/<str:key>/support", freedoms.support, name="support"),
    path("tendencies/<str:key>/withdraw", freedoms.withdraw_support, name="withdraw_support"),
    path("publications/<str:key>", freedoms.publication, name="publication"),
    path("cases/<str:key>", freedoms.case, name="case"),
    path("cases/<str:key>/evidence", freedoms.evidence, name="evidence"),
    path("code", freedoms.code, name="code"),
    path("rights", freedoms.rights, name="rights"),
    path("my-data", freedoms.my_data, name="my_data"),
    # secret ballots: the booth, the ballot box, the election directory, the booth's modules
    path("booth/<str:subject>", booth.booth, name="booth"),
    path("booth/<str:subject>/cast", booth.cast, name="booth_cast"),
    path("secret/<str:subject>/ballots", booth.ballots, name="secret_ballots"),
    path("secret/<str:subject>/files.json", booth.files, name="secret_files"),
    path("booth-js/<str:root>/<path:path>", booth.module, name="booth_module"),
]
