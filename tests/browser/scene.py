"""What a member does in a browser scene, and what the scenes check after each action.

One place for the steps every browser test repeats (signing in, submitting a form the page
does not offer, reading the receipt or the refusal), so that a change to the sign-in page or
the refusal page is made here once.
"""

from __future__ import annotations

from typing import Any

import harbour

from smolny.store.models import Entry


def sign_in(page: Any, base: str, who: str, password: str = harbour.PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/signin")
    page.get_by_label("Member id").fill(who)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def done(page: Any) -> None:
    """The action was accepted: the page shows the receipt, not a refusal."""
    assert page.locator(".messages").inner_text().startswith("Done."), page.content()


def refused(page: Any, words: str) -> None:
    """The page says the action was not done, why, and what to do next."""
    assert "That was not done" in page.locator("main").inner_text(), page.content()
    assert words in page.locator("[role=alert]").inner_text()
    assert "Nothing was changed" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Go back").count() == 1


def record() -> list[tuple[int, bytes]]:
    """Every entry of the record, to compare before and after a refused action."""
    return [(seq, bytes(body)) for seq, body in Entry.objects.values_list("seq", "body")]


def post_form(page: Any, action: str, fields: dict[str, str]) -> None:
    """Submit a form the page does not offer this member (a stale page, a hand-made request),
    with the page's own CSRF token: what the server answers is what she would see."""
    # Wait for the navigation the submit starts: waiting for a load state afterwards could
    # return at once, on the page still showing, before the answer arrives.
    with page.expect_navigation():
        page.evaluate(
            """([action, fields]) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = action;
                const add = (name, value) => {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value;
                    form.appendChild(input);
                };
                add('csrfmiddlewaretoken',
                    document.querySelector('input[name=csrfmiddlewaretoken]').value);
                for (const [name, value] of Object.entries(fields)) add(name, value);
                document.body.appendChild(form);
                form.submit();
            }""",
            [action, fields],
        )
