"""One module per resource, each exposing ``router``; the app includes every module named here.

To add a resource (e.g. ``webhooks``), write ``worker/api/routes/webhooks.py`` with a ``router``
and append its name to :data:`ROUTE_MODULES`.
"""
from __future__ import annotations

import importlib

from fastapi import APIRouter

ROUTE_MODULES: tuple[str, ...] = ("health", "meetings", "meeting_files", "uploads", "highlights", "accounts",
                                  "brief", "commitments", "portfolio", "worksheet", "advocacy",
                                  "webhooks")


def routers() -> list[APIRouter]:
    return [importlib.import_module(f"{__name__}.{name}").router for name in ROUTE_MODULES]
