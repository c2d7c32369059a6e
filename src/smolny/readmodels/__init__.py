"""Read models: what pages and the API read, projected from the record.

They are updated in the same transaction as the entries they come from, can be dropped and
rebuilt by replay, and ``smolny replay`` reports any row that differs from what the record says.
"""
