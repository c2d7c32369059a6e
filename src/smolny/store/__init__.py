"""The event store: the record's entries, appended in the same transaction as the read models."""
