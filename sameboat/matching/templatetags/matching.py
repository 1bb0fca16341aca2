from typing import Any

from django import template
from django.utils.functional import Promise

from sameboat.matching.selectors import reason_texts

register = template.Library()


@register.filter(name="reason_texts")
def reason_texts_filter(reasons: Any) -> list[str | Promise]:
    """Matching's reasons ("1.2 km away", "both speak Somali") in the reader's language."""
    return reason_texts(reasons)
