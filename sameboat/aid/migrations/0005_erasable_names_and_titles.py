"""The title of an erased person's ask or offer kept for the ledger is stored empty and shown
as "Erased with its author" in the reader's language (sameboat.core.erasable); before, the
English words "Erased member" were stored."""

from django.db import migrations

import sameboat.core.erasable

ERASED_EMAIL_SUFFIX = "@erased.invalid"
OLD_ERASED_TITLE = "Erased member"


def empty_erased_titles(apps, schema_editor):
    for name in ("Ask", "Offer"):
        apps.get_model("aid", name).objects.filter(
            member__user__email__endswith=ERASED_EMAIL_SUFFIX, title=OLD_ERASED_TITLE
        ).update(title="")


def title_erased_posts_again(apps, schema_editor):
    for name in ("Ask", "Offer"):
        apps.get_model("aid", name).objects.filter(
            member__user__email__endswith=ERASED_EMAIL_SUFFIX, title=""
        ).update(title=OLD_ERASED_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0004_match_run"),
        ("accounts", "0006_erasable_names_and_titles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ask",
            name="title",
            field=sameboat.core.erasable.PostTitleField(max_length=120, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="offer",
            name="title",
            field=sameboat.core.erasable.PostTitleField(max_length=120, verbose_name="title"),
        ),
        migrations.RunPython(empty_erased_titles, title_erased_posts_again),
    ]
