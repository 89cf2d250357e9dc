"""Pure-Python rules of the regulation: no Qt, no database sessions."""
