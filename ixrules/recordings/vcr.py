"""VCR cassettes: the YAML of VCR.py (``interactions``, a request ``body`` that is the text
itself, a response ``body: {string: ...}``, ``!!binary`` for bytes) and of Ruby's VCR
(``http_interactions``, lower-case methods, bodies as ``{encoding, string}`` or
``{encoding, base64_string}``), and the same structures serialized as JSON.

YAML is read with PyYAML's safe loader only: no tag can build an object. The two tags old
cassettes carry for plain text (VCR.py's ``!!python/unicode`` and ``!!python/str``) and Ruby's
old ``!binary`` are read as the text or bytes they hold; any other tag is a clear error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .interaction import (
    Interaction,
    Malformed,
    Place,
    ReplayError,
    base64_body,
    decoded,
    read_entries,
    recorded,
    status_of,
)

#: The key that holds the interactions, by flavour.
_LISTS = ("interactions", "http_interactions")


def read_yaml(file: str, text: str) -> list[Interaction]:
    """The interactions of a YAML cassette."""
    data, lines = _load_yaml(file, text)
    return read_cassette(file, data, lines)


def read_cassette(file: str, data: Any, lines: list[int | None]) -> list[Interaction]:
    """The interactions of a parsed cassette (YAML or JSON); ``lines`` gives where each starts."""
    return read_entries(file, _entries(file, data), lines, "interaction", _interaction)


def is_cassette(data: Any) -> bool:
    """Whether parsed JSON is a VCR cassette (a mapping with its list of interactions)."""
    return isinstance(data, Mapping) and any(key in data for key in _LISTS)


def _entries(file: str, data: Any) -> list[Any]:
    if not isinstance(data, Mapping):
        raise ReplayError(file, "not a VCR cassette: expected a mapping with 'interactions'")
    for key in _LISTS:
        if key in data:
            entries = data[key]
            if entries is None:
                return []
            if not isinstance(entries, list):
                raise ReplayError(file, f"not a VCR cassette: '{key}' is not a list")
            return entries
    raise ReplayError(
        file, "not a VCR cassette: no 'interactions' (VCR.py) or 'http_interactions' (Ruby VCR)"
    )


def _interaction(
    place: Place, request: Mapping[str, Any], response: Mapping[str, Any]
) -> Interaction:
    status = response.get("status")
    made = recorded(
        place,
        request,
        response,
        url="uri",
        request_body=_body(request.get("body"), "the request's body"),
        status=status_of(status.get("code") if isinstance(status, Mapping) else status),
        response_body=_body(response.get("body"), "the response's body"),
    )
    return _inflated(made)


def _body(value: Any, what: str) -> Any:
    """VCR.py's text or bytes, or the ``{string}`` / ``{base64_string}`` mapping of both
    flavours."""
    if isinstance(value, Mapping):
        if value.get("base64_string") is not None:
            return base64_body(value["base64_string"], what)
        value = value.get("string")
    if value is None or isinstance(value, (str, bytes)):
        return value
    raise Malformed(f"{what} is not text")


def _inflated(interaction: Interaction) -> Interaction:
    return replace(
        interaction,
        request_body=decoded(interaction.request_body, interaction.header("content-encoding")),
        response_body=decoded(
            interaction.response_body, interaction.header("content-encoding", response=True)
        ),
    )


# --- YAML, safely -------------------------------------------------------------------------


def _load_yaml(file: str, text: str) -> tuple[Any, list[int | None]]:
    """The document, and the line where each interaction starts."""
    import yaml

    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:  # its str() quotes the file: only the problem is shown
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ReplayError(file, f"not valid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise ReplayError(file, f"not valid YAML: {type(exc).__name__}") from None
    except RecursionError:
        raise ReplayError(file, "not readable: nested too deeply") from None
    finally:
        loader.dispose()
    return data, _starts(node)


def _starts(node: Any) -> list[int | None]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        in_list = isinstance(key, yaml.ScalarNode) and key.value in _LISTS
        if in_list and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


@lru_cache(maxsize=1)
def _loader() -> Any:
    """A safe loader of our own, with the few plain-text tags of old cassettes; the global
    ``SafeLoader`` is left as it is. PyYAML's pure one, not libyaml's: its errors (and so the
    command's) are the same wherever ixrules is installed."""
    import yaml

    class CassetteLoader(yaml.SafeLoader):
        """PyYAML's safe loader, reading VCR.py's and Ruby's text and binary tags."""

    def text(loader: Any, node: Any) -> str:
        return str(loader.construct_scalar(node))

    def binary(loader: Any, node: Any) -> bytes:
        try:
            return base64_body(loader.construct_scalar(node), "a !binary value")
        except Malformed as exc:
            raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None

    for tag in ("tag:yaml.org,2002:python/unicode", "tag:yaml.org,2002:python/str"):
        CassetteLoader.add_constructor(tag, text)
    CassetteLoader.add_constructor("!binary", binary)
    return CassetteLoader
