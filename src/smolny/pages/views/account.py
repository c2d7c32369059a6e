"""Signing in and out, and joining (which creates the account and the membership together)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from smolny.constitution import DomainError
from smolny.constitution import commands as c
from smolny.readmodels.models import CouncilRow
from smolny.store.service import execute


class SignIn(auth_views.LoginView):
    template_name = "pages/signin.html"


class JoinForm(forms.Form):
    username = forms.CharField(
        label="Member id (your sign-in name)",
        max_length=64,
        help_text="Letters, digits, dots, dashes or underscores.",
    )
    name = forms.CharField(label="Your name, as other members will see it", max_length=200)
    council = forms.ChoiceField(label="Base council to join")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # No council is chosen for her: a first option picked by default would enrol the
        # member who does not notice it in a council she never meant to join.
        self.fields["council"].choices = [("", "— choose your base council —")] + [  # type: ignore[attr-defined]
            (k.key, k.name)
            for k in CouncilRow.objects.filter(base=True, seceded=False).order_by("name")
        ]

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        User = get_user_model()
        if User.objects.filter(username=data["username"]).exists():
            form.add_error("username", "That member id is taken; choose another.")
        else:
            try:
                execute(c.Join(data["username"], data["name"], data["council"]))
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                user = User.objects.create_user(data["username"], password=data["password"])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return HttpResponseRedirect(reverse("home"))
    return render(request, "pages/join.html", {"form": form}, status=400 if form.errors else 200)
