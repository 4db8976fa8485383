"""The page templates: one Jinja2 environment, autoescaped, with the filters the pages share."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def clock(seconds: float | None) -> str:
    """``m:ss`` (or ``h:mm:ss``) of a second in the recording; empty when unknown."""
    if seconds is None:
        return ""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def label(name: str | None) -> str:
    """A snake_case value as words (``goal_shift`` -> ``goal shift``)."""
    return (name or "").replace("_", " ")


templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True))
"""Every ``{{ value }}`` is HTML-escaped: speaker names and transcript text may contain markup."""
templates.env.filters.update(clock=clock, label=label)


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with the signed-in session (``web``) and the given context."""
    context.setdefault("web", getattr(request.state, "web", None))
    context.setdefault("title", "")
    return templates.TemplateResponse(request, name, context, status_code=status_code)
