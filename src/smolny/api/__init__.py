"""The JSON API: one endpoint per command, typed reads of the read models, an OpenAPI document.

Views stay thin (STYLE: "the web layer authenticates, builds the command, calls one function,
and renders"): who may do what is decided by the constitution, never here.  Every refusal,
whether the constitution's or the request's, reaches the client as an RFC 9457 problem
document (``problems.py``).  docs/api.md is the guide for client authors.
"""
