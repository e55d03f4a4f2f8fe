"""The shortcuts list pages take: ``lib.urls.url_for`` (reverse, kept) and ``lib.forms.Select``
(a select written out in Python): the same answers as Django's, escaped the same."""

import re

from django import forms
from django.test import override_settings
from django.urls import path, reverse, set_script_prefix

from lib.forms import Select
from lib.urls import url_for


def test_url_for_is_reverse_and_follows_the_script_prefix():
    assert url_for("audits:round-detail", 7) == reverse("audits:round-detail", args=[7])
    set_script_prefix("/maca/")
    try:
        assert url_for("audits:round-detail", 7) == "/maca/rounds/7/"
    finally:
        set_script_prefix("/")
    assert url_for("audits:round-detail", 7) == "/rounds/7/"


def _other(request):  # pragma: no cover - never served
    raise AssertionError


urlpatterns = [path("elsewhere/", _other, name="home")]


def test_url_for_keeps_each_url_configuration_apart():
    assert url_for("home") == reverse("home") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert url_for("home") == "/elsewhere/"
    assert url_for("home") == "/"


class Choices(forms.Form):
    colour = forms.ChoiceField(
        choices=[("", "All"), ("r", 'Red <b>"&'), ("Shades", [("g", "Green"), ("b", "Blue")])],
        required=False,
        widget=Select,
    )
    plain = forms.ChoiceField(
        choices=[("", "All"), ("r", 'Red <b>"&'), ("Shades", [("g", "Green"), ("b", "Blue")])], required=False
    )


def _normalised(html: str) -> list[str]:
    """The tags and texts in order, each tag's attributes sorted (their order means nothing)."""

    def tag(match):
        name, attributes = match.group(1), re.findall(r'\s([\w-]+(?:="[^"]*")?)', match.group(2))
        return f"<{name} {' '.join(sorted(attributes))}>"

    return [
        re.sub(r"<(\w+)((?:\s[^>]*)?)>", tag, part.strip()) for part in re.split(r"(<[^>]+>)", html) if part.strip()
    ]


def test_the_select_is_djangos_markup_with_everything_escaped():
    form = Choices({"colour": "g", "plain": "g"})
    form.fields["colour"].widget.attrs["class"] = form.fields["plain"].widget.attrs["class"] = "govuk-select"
    ours = str(form["colour"]).replace("colour", "NAME")
    djangos = str(form["plain"]).replace("plain", "NAME")
    assert _normalised(ours) == _normalised(djangos)
    assert "Red &lt;b&gt;&quot;&amp;" in ours and '<optgroup label="Shades">' in ours
    assert '<option value="g" selected>Green</option>' in ours
