"""Whose words a message is, in each language: the API's recorded wording, or the project's.

English messages say it through their rule's ``source`` (the error-code page, a recorded
answer, an inference, ixrules' own words). A translation is the project's unless the API was
recorded answering with it: an account answers in its own language, so a few Portuguese
texts are known from traffic and integrators' code. :data:`RECORDED` lists them with their
evidence; a test holds each one equal to the catalog's translation. No Spanish text is
recorded: every Spanish message is the project's translation.
"""

from __future__ import annotations

from typing import Literal

#: Per language, the English message -> (the API's recorded text, where it was recorded).
RECORDED: dict[str, dict[str, tuple[str, str]]] = {
    "pt": {
        "Fiscal is invalid": (
            "Fiscal não é válido",
            "live (Ventrata support page), code (SuesteCreative)",
        ),
        "Vat Number is invalid": (
            "Contribuinte não é válido",
            "code (SuesteCreative, foreign-vat-country-mismatch)",
        ),
        "Name is too long (maximum is 100 characters)": (
            "Nome é demasiado longo",
            "code (SuesteCreative caps names at 100)",
        ),
        (
            "Tax exemption should be one of: M09, M08, M07, M06, M05, M04, M03, M02, M01, M16, "
            "M15, M14, M13, M12, M11, M10, M99"
        ): (
            "Razão de isenção deve ter uma opção selecionada",
            "proxy (SuesteCreative); live (laravel-invoice-express 3.2.0)",
        ),
        "Due date must be later than date": (
            "Vencimento deve ser igual ou posterior à data do documento",
            "proxy (SuesteCreative finalize adapter)",
        ),
        "Client is invalid": ("Cliente não é válido", "code (SuesteCreative)"),
        "Name has already been taken": ("Nome não está disponível.", "code (SuesteCreative)"),
        "Name is a required field": (
            "Nome é um campo obrigatório",
            "a recorded 422 (zoran759 VCR cassette, 2019)",
        ),
        "Sequence does not match the document type": (
            "A série não corresponde ao tipo de documento",
            "proxy (SuesteCreative, the API's sandbox), code (laravel-invoice-express)",
        ),
        "Total can't be greater than the total of the related documents": (
            "O total não pode ser superior ao total dos documentos relacionados",
            "proxy (SuesteCreative)",
        ),
    },
}

Wording = Literal["recorded", "translation"]


def wording(message: str, language: str) -> Wording:
    """Whether the ``language`` text of the English ``message`` is the API's recorded wording
    or the project's translation.

    >>> wording("Fiscal is invalid", "pt"), wording("Fiscal is invalid", "es")
    ('recorded', 'translation')
    """
    return "recorded" if message in RECORDED.get(language, {}) else "translation"


def evidence(message: str, language: str) -> str | None:
    """Where the API was recorded answering ``message`` in ``language``, or None."""
    found = RECORDED.get(language, {}).get(message)
    return found[1] if found else None
