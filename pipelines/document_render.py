"""Markdown and printable HTML of a :class:`Document` (pure: a page can reuse them as they are)."""

from __future__ import annotations

from html import escape

from pipelines.document import Document, Line
from pipelines.evidence import label

CSS = """body{font:14px/1.45 system-ui,sans-serif;max-width:52rem;margin:2rem auto;color:#111}
h1{font-size:1.5rem;margin:0}h2{font-size:1.1rem;border-bottom:1px solid #ccc;margin-top:1.6rem}
.sub{color:#555}.notice{background:#fff4d6;border:1px solid #e0b84c;padding:.5rem .8rem}
.tag{font-size:.75rem;text-transform:uppercase;padding:0 .3rem;border:1px solid #999;border-radius:3px}
.tag-missed,.tag-high{border-color:#b00;color:#b00}blockquote{margin:.2rem 0 .2rem 1rem;color:#333}
.ev{font-size:.8rem;color:#555}.empty{color:#777;font-style:italic}ul{padding-left:1.2rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}li{break-inside:avoid}}"""


def _md_line(line: Line) -> list[str]:
    box = "[ ] " if line.check else ""
    tag = f"**{line.tag.upper()}** " if line.tag else ""
    out = [f"- {box}{tag}{line.text}"]
    if line.quote:
        out.append(f'  > "{line.quote}"')
    out += [f"  - {s}" for s in line.sub]
    out += [
        f"  - evidence: {label(e)}" + (f' — "{e.quote}"' if e.quote and e.quote != line.quote else "")
        for e in line.evidence
    ]
    return out


def to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}"]
    if doc.subtitle:
        out += ["", doc.subtitle]
    if doc.notice:
        out += ["", f"> **Note:** {doc.notice}"]
    for section in doc.sections:
        out += ["", f"## {section.title}"]
        if section.note:
            out += ["", section.note]
        out += [""] + ([x for line in section.lines for x in _md_line(line)] or [f"_{section.empty}_"])
    return "\n".join(out) + "\n"


def _html_line(line: Line) -> str:
    parts = ["<li>"]
    if line.check:
        parts.append("&#9744; ")
    if line.tag:
        parts.append(f'<span class="tag tag-{escape(line.tag)}">{escape(line.tag)}</span> ')
    parts.append(escape(line.text))
    if line.quote:
        parts.append(f"<blockquote>&ldquo;{escape(line.quote)}&rdquo;</blockquote>")
    for s in line.sub:
        parts.append(f"<div>{escape(s)}</div>")
    for e in line.evidence:
        quote = f" &mdash; &ldquo;{escape(e.quote)}&rdquo;" if e.quote and e.quote != line.quote else ""
        parts.append(
            f'<div class="ev" data-meeting="{escape(e.meeting_id)}" '
            f'data-highlight="{escape(e.highlight_id or "")}">evidence: {escape(label(e))}{quote}</div>'
        )
    parts.append("</li>")
    return "".join(parts)


def to_html_fragment(doc: Document) -> str:
    """The document as an ``<article>`` to embed in a page (styles: :data:`CSS`); all escaped."""
    body = [f'<article class="aw-doc"><h1>{escape(doc.title)}</h1>']
    if doc.subtitle:
        body.append(f'<p class="sub">{escape(doc.subtitle)}</p>')
    if doc.notice:
        body.append(f'<p class="notice">{escape(doc.notice)}</p>')
    for section in doc.sections:
        body.append(f"<section><h2>{escape(section.title)}</h2>")
        if section.note:
            body.append(f"<p>{escape(section.note)}</p>")
        if section.lines:
            body.append("<ul>" + "".join(_html_line(x) for x in section.lines) + "</ul>")
        else:
            body.append(f'<p class="empty">{escape(section.empty)}</p>')
        body.append("</section>")
    body.append("</article>")
    return "\n".join(body)


def to_html(doc: Document) -> str:
    """A standalone printable page; every value from the record is escaped."""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(doc.title)}</title><style>{CSS}</style></head><body>\n"
        + to_html_fragment(doc)
        + "\n</body></html>\n"
    )
