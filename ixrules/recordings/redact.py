"""Secrets of a recorded interaction, kept out of everything a replay says.

A recording holds the API key (``api_key=`` in every InvoiceXpress URL), and often other
credentials: ``Authorization``, ``Cookie`` and ``X-Api-Key`` headers, session cookies set by
the answer, passwords in bodies (``accounts.create``). A replay prints only a request's method
and path (never its query, headers or body), and every text it prints about an interaction
(the API's messages, ixrules' messages, which quote sent values) goes through
:meth:`Secrets.redact`, which replaces each secret value the recording holds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from .interaction import Interaction

#: Names of query parameters, headers and body keys whose values are secrets.
SECRET_NAME = re.compile(
    r"api[-_]?key|apikey|token|secret|passw|pwd|auth|cookie|session|signature|credential"
    r"|^key$|^sig$",
    re.IGNORECASE,
)
#: What separates a header's parts (cookies, a list of values).
_PARTS = re.compile(r"[;,]")
#: What stands for a secret in output.
REDACTED = "[redacted]"
#: Shorter values are not searched for in text (they would match ordinary words); they are
#: never printed anyway, being only in URLs, headers and bodies.
MIN_SECRET = 4
#: How many values of a body are looked at for secrets (bounded, whatever the body).
_MAX_VALUES = 100_000


@dataclass(frozen=True)
class Secrets:
    """The secret values of a recording, longest first."""

    values: tuple[str, ...]

    @classmethod
    def of(cls, interactions: Iterable[Interaction]) -> Secrets:
        """The secrets of a recording's interactions, together."""
        found: set[str] = set()
        for interaction in interactions:
            found.update(_from_url(interaction.url))
            for name, value in (*interaction.request_headers, *interaction.response_headers):
                if SECRET_NAME.search(name):
                    found.update(_from_header(value))
            found.update(_from_body(interaction.request_body))
            found.update(_from_body(interaction.response_body))
        kept = {value for value in found if len(value) >= MIN_SECRET}
        kept |= {quote(value, safe="") for value in kept}
        return cls(tuple(sorted(kept, key=lambda value: (-len(value), value))))

    def redact(self, text: str) -> str:
        """``text`` with every secret value (and its URL-encoded form) replaced."""
        for value in self.values:
            if value in text:
                text = text.replace(value, REDACTED)
        return text


def _from_url(url: str) -> Iterator[str]:
    try:
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        password = parts.password
    except ValueError:
        return
    if password:
        yield password
        yield unquote(password)
    for name, value in pairs:
        if SECRET_NAME.search(name):
            yield value


def _from_header(value: str) -> Iterator[str]:
    """The value, and its parts: a scheme's token (``Bearer x``), each cookie's value."""
    value = value.strip()
    yield value
    for part in _PARTS.split(value):
        name, equals, cookie = part.strip().partition("=")
        if equals:
            yield cookie.strip()
        else:
            yield from name.split()[1:]  # "Bearer <token>", "Basic <credentials>"


def _from_body(body: Any) -> Iterator[str]:
    """Values under secret-looking keys of a JSON body (parsed or as text) or a form body."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", "replace")
    if isinstance(body, str):
        text = body.strip()
        try:
            body = json.loads(text)
        except (ValueError, RecursionError):
            for name, value in parse_qsl(text, keep_blank_values=True):
                if SECRET_NAME.search(name):
                    yield value
            return
    stack, seen = [body], 0
    while stack and seen < _MAX_VALUES:
        node = stack.pop()
        seen += 1
        if isinstance(node, Mapping):
            for key, value in node.items():
                if isinstance(key, str) and SECRET_NAME.search(key) and isinstance(value, str):
                    yield value
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
