"""The running service: settings, CLI, queue jobs, storage and the account store."""
