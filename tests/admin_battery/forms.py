"""Reading an HTML form back as the data a browser would post."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "id": a.get("id", ""),
                "method": a.get("method", "get").lower(),
                "data": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["data"].append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form["data"].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._form["data"].append((self._textarea, text.removeprefix("\n")))
            self._textarea = None


def form_data(page: str, form_id: str | None = None, field: str | None = None) -> dict:
    """The values a browser would post from the POST form with ``form_id`` (or the first one
    holding ``field``): {name: value, or a list for several}; inline empty-form templates
    (``__prefix__``) left out."""
    parser = _FormParser()
    parser.feed(page)
    for form in parser.forms:
        names = {name for name, _ in form["data"]}
        if form["method"] != "post":
            continue
        if (form_id is not None and form["id"] == form_id) or (
            field is not None and field in names
        ):
            data: dict = {}
            for name, value in form["data"]:
                if "__prefix__" in name:
                    continue
                if name in data:
                    previous = data[name]
                    data[name] = (
                        [*previous, value] if isinstance(previous, list) else [previous, value]
                    )
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no POST form {form_id or field!r} in the page")
