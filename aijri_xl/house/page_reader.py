"""Reading back the HTML page :func:`aijri_xl.report.html` writes.

The page is the house format rendered block by block inside ``<main class="house">``:
headings, tables, ``Label: value`` paragraphs and text (paragraphs, ``- `` lists, an
empty ``p.gap`` for a blank line). :func:`house_text` turns it back into the house format
(escaping text as the text writer does), so :func:`aijri_xl.report_reader.read_report`
reads a page exactly as it reads the ``.md``. The figures of the page's header (the score
badge and the overview table, each marked ``data-house="<label>"``) become ``Label:
value`` lines before the first section, so that verifying a page checks them too: a
badge edited to a better score is a stated figure that disagrees.

Only pages this package wrote are read: a page without the ``aijri_xl`` generator mark
or without ``<main class="house">`` is not a published assessment.
"""

from __future__ import annotations

from html.parser import HTMLParser

from aijri_xl._record import dataclass, field
from aijri_xl.house.builder import cell_text, escape_line, name_cell
from aijri_xl.house.grammar import escape_inline

GENERATOR = "aijri_xl"
HEADER_SECTION = "the page header"


@dataclass(slots=True)
class _Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str | _Element] = field(default_factory=list)

    def text(self) -> str:
        """The element's text; ``<br>`` is a line break."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.tag == "br":
                out.append("\n")
            else:
                out.append(part.text())
        return "".join(out)

    def children(self, *tags: str) -> list[_Element]:
        return [p for p in self.parts if isinstance(p, _Element) and p.tag in tags]

    def walk(self) -> list[_Element]:
        found = []
        for part in self.parts:
            if isinstance(part, _Element):
                found.append(part)
                found += part.walk()
        return found

    @property
    def css(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


_VOID = frozenset({"br", "meta", "img", "hr", "link", "input"})


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {})
        self.stack = [self.root]
        self.generator = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].parts.append(element)
        if tag == "meta" and element.attrs.get("name") == "generator":
            self.generator = element.attrs.get("content", "")
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].parts.append(_Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):  # tolerate a missing end tag
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].parts.append(data)


def _table(element: _Element) -> list[str]:
    kind = element.css
    lines = []
    for section in element.children("thead", "tbody"):
        for tr in section.children("tr"):
            cells = [c for c in tr.children("th", "td") if "pad" not in c.css]
            texts = [(name_cell if i == 0 and "tasks" in kind and tr.children("td")
                      else cell_text)(c.text()) for i, c in enumerate(cells)]
            lines.append("|" + "".join(f" {t} |" if t else " |" for t in texts))
            if section.tag == "thead":
                lines.append("|" + "---|" * len(cells))
    return lines


def _paragraph(element: _Element) -> list[str]:
    labels = [c for c in element.children("span") if "label" in c.css]
    if not labels:
        if "gap" in element.css:
            return [""]
        return [escape_line(element.text())]
    label = labels[0].text()
    rest = "".join(p if isinstance(p, str) else p.text()
                   for p in element.parts if p is not labels[0])
    first = escape_inline(rest[1:] if rest.startswith(" ") else rest)
    return [f"{label} {first}" if first else label]


def house_text(page: str) -> str | None:
    """The house format of a page this package wrote; ``None`` for any other page."""
    tree = _Tree()
    tree.feed(page)
    tree.close()
    if not tree.generator.startswith(GENERATOR):
        return None
    everything = tree.root.walk()
    main = next((e for e in everything if e.tag == "main" and "house" in e.css), None)
    if main is None:
        return None
    header = [f"{e.attrs['data-house']}: {e.text()}" for e in everything
              if "data-house" in e.attrs]
    lines: list[str] = [*header, ""]
    for element in main.children("h2", "h3", "table", "p", "ul"):
        starts_block = element.tag in ("h2", "h3", "table") or (
            element.tag == "p" and element.children("span"))
        if starts_block and lines and lines[-1] != "":
            lines.append("")
        if element.tag in ("h2", "h3"):
            lines.append(element.text())
        elif element.tag == "table":
            lines += _table(element)
        elif element.tag == "p":
            lines += _paragraph(element)
        else:
            lines += [escape_line(f"- {li.text()}") for li in element.children("li")]
    return "\n".join(lines) + "\n"
