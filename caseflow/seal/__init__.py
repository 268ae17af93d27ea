"""The organisation's seal (sigill): a PAdES signature on every PDF/A caseflow produces of a
decision, so that anyone can check an excerpt or a decision without trusting caseflow.

The rest of the app calls::

    from caseflow import seal
    seal.seal_pdf(pdf_bytes, reason=..., location=...)  # sealed, or as given when no seal
    seal.current_sealer()      # the configured Sealer, or None
    seal.unconfigured_reason() # None, or a sentence for the UI and the command line

A lower domain: it imports nothing of meetings, memos or mail. The signer is an adapter
(:class:`caseflow.seal.sealer.Sealer`); the PKCS#12 file is one implementation, and a
signing service (BankID, Freja) is another adapter registered with
:func:`caseflow.seal.sealer.register_adapter`, with no change to the code that seals.
"""

from caseflow.seal.sealer import (
    Sealer,
    SealError,
    current_sealer,
    register_adapter,
    seal_pdf,
    unconfigured_reason,
)

__all__ = [
    "SealError",
    "Sealer",
    "current_sealer",
    "init_app",
    "register_adapter",
    "seal_pdf",
    "unconfigured_reason",
]


def init_app(app) -> None:
    from caseflow.seal.cli import seal_group
    from caseflow.seal.pkcs12 import Pkcs12Sealer

    register_adapter("pkcs12", Pkcs12Sealer.from_config)
    app.cli.add_command(seal_group)
