"""问责案管 (wenze): accountability-case management for a bureau's discipline committee."""

__version__ = "0.1.0"
APP_NAME = "问责案管"
