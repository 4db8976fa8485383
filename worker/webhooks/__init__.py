"""Meeting-platform webhooks: one module per platform verifies its deliveries and reads its events.

Each platform module turns a verified delivery into :class:`~worker.webhooks.delivery.Delivery`
values; :mod:`worker.webhooks.delivery` records them once (idempotency) and queues the job.
"""
from __future__ import annotations

from pipelines.errors import PipelineError


class SignatureError(Exception):
    """A delivery whose signature, token or timestamp does not check out (answered 401)."""


class NotConfiguredError(PipelineError):
    """The platform's secret or audience is not set, so nothing can be verified (the route
    answers 404: not enabled)."""
