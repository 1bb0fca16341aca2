"""What a browser would send from the service page's form: every field's value as the page
holds it (ticked boxes only, the selected options, no <template> rows), for tests to change
a few and post back."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.in_template = 0
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and "service-form" in found.get("class", ""):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in found:
                    self._add(name, found.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(name, found.get("value", ""))
        elif tag == "select" and name:
            self.select, self.first_option = name, None
            self.data.setdefault(name, [])
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = found.get("value", "")
            if "selected" in found:
                self._add(self.select, found.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_endtag(self, tag: str) -> None:
        if not self.in_form:
            return
        if tag == "template":
            self.in_template -= 1
        elif tag == "select" and self.select:
            # A select with nothing selected sends its first option.
            if not self.data[self.select] and self.first_option is not None:
                self._add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea" and self.textarea:
            # The browser drops the newline that follows <textarea>.
            self._add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text += data


def form_data(page: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(page)
    return reader.data


def changed(data: dict[str, list[str]], fields: dict[str, str | list[str]]) -> dict[str, list[str]]:
    """The data with some fields set (a list for a multiple choice, [] for none)."""
    result = dict(data)
    for name, value in fields.items():
        result[name] = value if isinstance(value, list) else [value]
    return result
