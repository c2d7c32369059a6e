"""Smolny: a council democracy whose record nobody can rewrite."""

__version__ = "0.1.0"
