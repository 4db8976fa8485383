"""CLI commands; each module has ``register(app)`` and keeps heavy imports inside the commands."""
