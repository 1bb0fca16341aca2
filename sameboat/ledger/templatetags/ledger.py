from django import template

from sameboat.ledger.reciprocity import hundredths_to_units

register = template.Library()


@register.filter
def units(amount: int | None) -> str:
    """Show an amount in hundredths as the network's unit: 150 -> '1.5'."""
    return hundredths_to_units(amount or 0)
