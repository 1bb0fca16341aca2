"""An erased person's name is stored empty and shown as "Erased member" in the reader's
language (sameboat.core.erasable); before, the English words were stored."""

from django.db import migrations, models

import sameboat.core.erasable

ERASED_EMAIL_SUFFIX = "@erased.invalid"
OLD_ERASED_NAME = "Erased member"


def empty_erased_names(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(email__endswith=ERASED_EMAIL_SUFFIX).update(display_name="")


def name_erased_people_again(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(email__endswith=ERASED_EMAIL_SUFFIX, display_name="").update(
        display_name=OLD_ERASED_NAME
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_encrypt_mfa_secrets"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("core", "0002_seed_languages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="display_name",
            field=sameboat.core.erasable.PseudonymField(max_length=80, verbose_name="display name"),
        ),
        migrations.RunPython(empty_erased_names, name_erased_people_again),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=~models.Q(display_name="")
                | models.Q(email__endswith=ERASED_EMAIL_SUFFIX),
                name="user_named_unless_erased",
            ),
        ),
    ]
