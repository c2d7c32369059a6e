"""The store's clock is process-wide and only moves forward; these tests move it (nominations
closing, voting closing), so each gives the offset back when it ends, and the tests that share
its worker afterwards see no drift."""

from __future__ import annotations
