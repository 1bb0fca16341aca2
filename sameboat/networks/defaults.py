"""What a new network starts with. Names are marked for translation and stored in the
network's own language at creation; networks may rename or extend them."""

from django.utils.translation import gettext_noop as _

# (slug, name, children)
DEFAULT_CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("food", _("Food"), [("food-groceries", _("Groceries")), ("food-meals", _("Meals"))]),
    ("housing", _("Housing"), [("housing-repairs", _("Repairs")), ("housing-moving", _("Moving"))]),
    ("health", _("Health"), [("health-appointments", _("Going to appointments"))]),
    ("recovery", _("Recovery"), []),
    ("transport", _("Transport"), [("transport-rides", _("Rides"))]),
    ("childcare", _("Childcare"), []),
    ("language", _("Language and translation"), [("language-interpreting", _("Interpreting"))]),
    ("legal", _("Legal and documents"), [("legal-forms", _("Forms and letters"))]),
    ("emotional-support", _("Emotional support"), []),
    ("money", _("Money"), [("money-budgeting", _("Budgeting"))]),
    ("household", _("Household tasks"), [("household-cleaning", _("Cleaning"))]),
    ("digital", _("Digital help"), [("digital-phones", _("Phones and computers"))]),
]
