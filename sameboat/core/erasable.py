"""Text that an erasure empties and that reads back as a label in the reader's language.

When a person erases their account, what stays for the ledger's sake (their user row, an ask
or offer an exchange was posted from) must show something in place of what they wrote. Storing
an English phrase would show English in every language; storing a flag beside every such
column would make every query that reads the column read the flag too (ordering, `values()`,
the API's serializers). Instead the column stores the empty string, which the services never
accept as a real value, and reads it back as a lazy translation: the label is rendered in the
language of whoever reads it, wherever it is read (templates, forms, the API, exports).
"""

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ERASED_MEMBER = _("Erased member")
ERASED_POST = _("Erased with its author")


class ErasableCharField(models.CharField):
    """A CharField whose empty value means "erased" and reads back as `erased_label`.

    Assign the label itself (not the empty string) to erase in memory: it is saved empty."""

    erased_label: Promise = ERASED_MEMBER

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return self.erased_label if value == "" else value

    def get_prep_value(self, value: Any) -> Any:
        # Identity, not equality: a person may well type the label's words as a real name.
        if value is self.erased_label:
            return ""
        return super().get_prep_value(value)

    def value_to_string(self, obj: models.Model) -> str:
        # Dumps and backups keep what is stored, never the label in the dumper's language.
        value = self.value_from_object(obj)
        return "" if value is self.erased_label else str(value)


class PseudonymField(ErasableCharField):
    """The name a person shows others; "Erased member" once they have erased their account."""

    erased_label = ERASED_MEMBER


class PostTitleField(ErasableCharField):
    """An ask's or offer's title; "Erased with its author" once kept for the ledger's sake."""

    erased_label = ERASED_POST
