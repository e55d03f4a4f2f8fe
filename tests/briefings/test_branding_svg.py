"""The SVG logo check against CSS escapes: ``url(`` or ``@import`` written with an escape
(``\\75 rl(``, ``u\\rl(``) is still ``url(`` to the renderer, so it is refused, both through the
check and through the upload page (an error, nothing stored)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefings import branding
from briefings.models import Branding

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
BYPASSES = {
    "hex escape in style": rb'<rect style="fill:\75 rl(https://x.test/a)"/>',
    "hex escape, six digits": rb'<rect style="fill:\000075rl(https://x.test/a)"/>',
    "letter escape in style": rb'<rect style="fill:u\rl(https://x.test/a)"/>',
    "escape in a presentation attribute": rb'<rect fill="\55 RL(//x.test/a)"/>',
    "escaped parenthesis": rb'<rect fill="url\28 https://x.test/a)"/>',
    "escape in mask": rb'<rect mask="u\72 l(https://x.test/m.svg#m)"/>',
    "escaped import": rb'<rect style="@\69mport \27https://x.test/a.css\27"/>',
    "import": b"<rect style=\"@import 'https://x.test/a.css'\"/>",
    "image function": b"<rect style=\"fill:image('https://x.test/a.png')\"/>",
    "image-set": b"<rect style=\"fill:image-set('https://x.test/a.png' 1x)\"/>",
    "url string to outside": b"<rect style=\"filter:url('//x.test/f.svg#f')\"/>",
    "url nested in another function": b"<rect style=\"fill:var(--a, url('https://x.test/a'))\"/>",
    "character reference decoded by XML": b'<rect style="fill:&#x75;rl(https://x.test/a)"/>',
}


def svg(body: bytes) -> bytes:
    return SVG_OPEN + body + b"</svg>"


@pytest.mark.parametrize("kind", sorted(BYPASSES))
def test_an_svg_with_a_css_escaped_fetch_is_refused(kind):
    with pytest.raises(ValidationError) as refused:
        branding.check_logo(svg(BYPASSES[kind]))
    assert refused.value.message_dict["logo"][0] in (branding.SVG_REFUSAL, branding.SVG_ESCAPE_REFUSAL)


def test_the_escape_bypass_is_refused_on_the_upload_page_and_nothing_is_stored(client, administrator):
    client.force_login(administrator)
    logo = SimpleUploadedFile("logo.svg", svg(BYPASSES["hex escape in style"]), "image/svg+xml")
    response = client.post(reverse("briefings:branding"), {"form": "logo", "logo": logo})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "backslashes" in response.text
    assert not Branding.objects.filter(pk=1).exclude(logo_file="").exists()


@pytest.mark.parametrize(
    "body",
    [
        b'<defs><linearGradient id="g"/></defs><rect style="fill:url(#g); stroke:url(#g)" fill="url(#g)"/>',
        b'<defs><clipPath id="c"/></defs><rect clip-path="url(#c)" fill="#1d4f5f" font-size="12px"/>',
        # An editor's own attribute (a Windows path) is not read by the renderer.
        b'<rect xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        b'inkscape:export-filename="C:\\Users\\me\\logo.png" width="1" height="1"/>',
        b'<text x="1" y="9" font-family="Arial, sans-serif">Northvale \\ partners</text>',
    ],
)
def test_a_logo_with_only_references_inside_the_file_is_accepted(body):
    assert branding.check_logo(svg(body)) == "image/svg+xml"
