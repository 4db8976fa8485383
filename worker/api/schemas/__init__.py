"""Request and response models of the API, per resource, each field with explicit limits."""
