"""Storage: SQLAlchemy models, engine set-up, migrations. No Qt here."""

from app.storage.engine import Database, open_database

__all__ = ["Database", "open_database"]
