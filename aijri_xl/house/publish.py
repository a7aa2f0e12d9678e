"""Publishing: one built report, in the format asked for."""

from __future__ import annotations

from collections.abc import Sequence

from aijri_xl.house.builder import FORMATS, Publication, build, markdown_of
from aijri_xl.house.page import html_of
from aijri_xl.method.model import Assessment


def render(doc: Publication, format: str = "md", sections: Sequence[str] = ()) -> str:
    """A built report in ``format`` (``md`` or ``html``; ``sections`` as for
    :func:`aijri_xl.house.page.html_of`, for the page only)."""
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; expected one of "
                         + ", ".join(FORMATS))
    return markdown_of(doc) if format == "md" else html_of(doc, sections)


def publish(a: Assessment, format: str = "md") -> str:
    """The published assessment in ``format`` (``md`` or ``html``)."""
    return render(build(a), format)



__all__ = ["FORMATS", "publish", "render"]
