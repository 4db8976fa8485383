"""One exception per failure a caller must tell apart."""
from __future__ import annotations


class PipelineError(Exception):
    """Base of every error a stage raises on purpose."""


class BadInputError(PipelineError):
    """The input itself is unusable (not audio, corrupt, too long...): retrying will not help."""


class TransientError(PipelineError):
    """A passing failure (storage, database, network): the job may be retried."""
