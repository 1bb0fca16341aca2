from django.db import migrations

# Languages common in the communities Sameboat serves; a network's people may add more.
LANGUAGES = [
    ("am", "Amharic", "አማርኛ"),
    ("ar", "Arabic", "العربية"),
    ("bn", "Bengali", "বাংলা"),
    ("zh", "Chinese", "中文"),
    ("de", "German", "Deutsch"),
    ("en", "English", "English"),
    ("es", "Spanish", "Español"),
    ("fa", "Persian", "فارسی"),
    ("fr", "French", "Français"),
    ("ha", "Hausa", "Hausa"),
    ("hi", "Hindi", "हिन्दी"),
    ("ht", "Haitian Creole", "Kreyòl ayisyen"),
    ("it", "Italian", "Italiano"),
    ("ko", "Korean", "한국어"),
    ("ku", "Kurdish", "Kurdî"),
    ("pl", "Polish", "Polski"),
    ("ps", "Pashto", "پښتو"),
    ("pt", "Portuguese", "Português"),
    ("ro", "Romanian", "Română"),
    ("ru", "Russian", "Русский"),
    ("so", "Somali", "Soomaali"),
    ("sw", "Swahili", "Kiswahili"),
    ("ta", "Tamil", "தமிழ்"),
    ("ti", "Tigrinya", "ትግርኛ"),
    ("tl", "Tagalog", "Tagalog"),
    ("tr", "Turkish", "Türkçe"),
    ("uk", "Ukrainian", "Українська"),
    ("ur", "Urdu", "اردو"),
    ("vi", "Vietnamese", "Tiếng Việt"),
    ("yo", "Yoruba", "Yorùbá"),
    ("ase", "American Sign Language", "ASL"),
    ("bfi", "British Sign Language", "BSL"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("core", "Language")
    for code, name, native in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name, "native_name": native})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
