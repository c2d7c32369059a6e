"""The public record over HTTP: signed checkpoints, C2SP tiles, proofs, and cosignatures.

Everything here is read-only except the cosignature endpoint, which only adds a mirror's
verified signature beside a checkpoint: nothing an HTTP client sends can change the record.
"""
