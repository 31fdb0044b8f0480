"""Amounts of money as people read them: "1 234,56 €" in French (the active language's number format)."""

from decimal import Decimal

from django.utils import formats

CENT = Decimal("0.01")


def euros(value):
    """An amount in euros, two decimals, grouped by thousands, the sign after a no-break space."""
    amount = Decimal(value or 0).quantize(CENT)
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)}\xa0€"
