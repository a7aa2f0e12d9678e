"""Publishing: one built report, in the format asked for."""

from __future__ import annotations

from aijri_xl.house.builder import FORMATS, Publication, build, markdown_of
from aijri_xl.house.page import html_of
from aijri_xl.method.model import Assessment


def render(doc: Publication, format: str = "md") -> str:
    """A built report in ``format`` (``md`` or ``html``)."""
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; expected one of "
                         + ", ".join(FORMATS))
    return markdown_of(doc) if format == "md" else html_of(doc)


def publish(a: Assessment, format: str = "md") -> str:
    """The published assessment in ``format`` (``md`` or ``html``)."""
    return render(build(a), format)



__all__ = ["FORMATS", "publish", "render"]
