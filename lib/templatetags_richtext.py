"""The ``richtext`` and ``richtext_inline`` template filters, builtins (config/settings.py), so every
template can write ``{{ point.text|richtext }}`` without ``{% load %}``."""

from django import template

from lib import richtext as _richtext

register = template.Library()


@register.filter(is_safe=True)
def richtext(value):
    """The Markdown source ``value`` rendered and sanitised (lib.richtext.render); "" for empty/None."""
    if value is None:
        return ""
    return _richtext.render(str(value))


@register.filter(is_safe=True)
def richtext_inline(value):
    """As ``richtext``, without the paragraph round one paragraph (lib.richtext.render_inline), for
    text inside a list item or a line."""
    if value is None:
        return ""
    return _richtext.render_inline(str(value))
