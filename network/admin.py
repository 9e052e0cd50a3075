"""Django's admin autodiscovery looks here; each part registers its own models."""

from network.base import admin as base_admin  # noqa: F401
from network.base.imports import admin as imports_admin  # noqa: F401
from network.base.privacy import admin as privacy_admin  # noqa: F401
from network.programme import admin as programme_admin  # noqa: F401
