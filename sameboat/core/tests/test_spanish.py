"""The Spanish interface: pages render in Spanish for a member who asks for it, and the catalog
in sameboat/locale is complete, keeps every placeholder and is compiled."""

import ast
import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

MESSAGES = Path(settings.BASE_DIR) / "sameboat" / "locale" / "es" / "LC_MESSAGES"
PO_PATH = MESSAGES / "django.po"
MO_PATH = MESSAGES / "django.mo"

PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sd]|%%")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstrs: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the subset of the PO format that makemessages writes."""
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal entry, key, started
        if started:
            entries.append(entry)
        entry, key, started = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            started = True
            key = (match[1], int(match[2] or 0))
            text = match[3]
        else:
            assert key is not None and line.startswith('"'), f"unexpected line: {raw!r}"
            text = line
        value = ast.literal_eval(text)
        if key[0] == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif key[0] == "msgid":
            entry.msgid += value
        elif key[0] == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            entry.msgstrs[key[1]] = entry.msgstrs.get(key[1], "") + value
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    header, *rest = parse_po(PO_PATH)
    assert header.msgid == "", "the catalog should start with its header"
    assert "fuzzy" not in header.flags
    return rest


@pytest.fixture(autouse=True)
def keep_active_language() -> Iterator[None]:
    """LocaleMiddleware leaves the request's language active; give later tests theirs back."""
    with translation.override(translation.get_language()):
        yield


def test_catalog_has_no_empty_or_fuzzy_entry(entries):
    assert len(entries) > 100
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    empty = [entry.msgid for entry in entries if not all(entry.msgstrs.values())]
    assert fuzzy == []
    assert empty == []
    for entry in entries:
        expected = 2 if entry.msgid_plural is not None else 1
        assert len(entry.msgstrs) == expected, entry.msgid


def test_translations_keep_placeholders_and_tags(entries):
    for entry in entries:
        sources = {0: entry.msgid, 1: entry.msgid_plural or entry.msgid}
        for index, translated in entry.msgstrs.items():
            source = sources[index]
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), (
                source,
                translated,
            )
            assert sorted(HTML_TAG.findall(translated)) == sorted(HTML_TAG.findall(source)), (
                source,
                translated,
            )


def test_compiled_catalog_matches_the_po_file(entries):
    """The .mo is committed so machines without gettext get Spanish; it must not be stale."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries:
        if entry.msgctxt is not None:
            if entry.msgid_plural is None:
                assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstrs[0]
            else:
                assert (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                    == entry.msgstrs[0]
                )
                assert (
                    compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 5)
                    == entry.msgstrs[1]
                )
        elif entry.msgid_plural is None:
            assert compiled.gettext(entry.msgid) == entry.msgstrs[0], entry.msgid
        else:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstrs[0]
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstrs[1]


def test_dashboard_in_spanish_with_the_language_cookie(client, member, network):
    client.force_login(member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get(reverse("networks:dashboard", kwargs={"network": network.slug}))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert ">Pedidos</a>" in page
    assert ">Ofertas</a>" in page
    assert ">Conexiones</a>" in page
    assert "Te damos la bienvenida, Amina." in page
    assert "Pedir ayuda" in page
    assert "Lo que das y lo que recibes" in page
    assert ">Asks</a>" not in page


def test_ask_list_in_spanish_with_accept_language(client, member, network, ask):
    client.force_login(member.user)
    response = client.get(
        reverse("aid:ask_list", kwargs={"network": network.slug}),
        headers={"accept-language": "es"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert "<h1>Pedidos</h1>" in page
    assert "1 pedido encontrado" in page
    assert "Estado: Disponible" in page
    assert "Groceries on Friday" in page
    assert "Filtrar pedidos" in page


def test_english_stays_the_default(client, member, network):
    client.force_login(member.user)
    response = client.get(reverse("aid:ask_list", kwargs={"network": network.slug}))
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "<h1>Asks</h1>" in page


def test_the_unit_of_exchange_reads_in_spanish(client, member):
    client.force_login(member.user)
    page = client.get(
        reverse("networks:dashboard", kwargs={"network": member.network.slug}),
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    assert "horas dadas" in page and "hours" not in page
