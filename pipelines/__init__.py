"""The stages of the alignment-worker pipeline, as pure functions over plain data.

Nothing here knows about queues, HTTP or SQL; heavy model code lives in ``models/``
and is imported lazily, so importing a type from here never loads torch.
"""
