"""Naming conventions shared by Transform and Trainer code."""

TRANSFORMED_SUFFIX = "_xf"


def transformed_name(key: str) -> str:
    """Name of the Transform output computed from raw feature `key`."""
    return f"{key}{TRANSFORMED_SUFFIX}"
