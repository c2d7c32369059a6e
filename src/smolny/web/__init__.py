"""The web layer: Django settings, URLs, views and templates.

It authenticates a request, turns it into a command for the constitution and
renders read models; the rules themselves live in ``smolny.constitution``.
"""
