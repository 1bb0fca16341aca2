from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.Model):
    """A language people speak, by its BCP 47 code; shared by every network."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    native_name = models.CharField(_("native name"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name
