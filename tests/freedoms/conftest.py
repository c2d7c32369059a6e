"""The store's clock is process-wide and only moves forward; these tests move it (a reply
period, an appeal's vote), so each gives the offset back when it ends, and the tests that
share its worker afterwards (the demo's, which compare with the real time) see no drift."""

from __future__ import annotations
