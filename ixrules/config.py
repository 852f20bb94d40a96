"""A project's configuration: its rule packs, which rules it silences or gives another severity
(everywhere, or in the files a glob matches), and the endpoint and context of its files, read
from ``.ixrules.yaml`` or ``[tool.ixrules]`` in ``pyproject.toml``, found from the working
directory upward (stopping at the repository root).

Everything wrong in a configuration is a :class:`ConfigError` naming the file and line, as a
broken rule file is. The result is plain, picklable data (:class:`Config`), so worker processes
and threads share it and no call ever consults the file again. :func:`configured_ruleset` builds
the rule set a configuration asks for (what :meth:`ixrules.Rules.from_config` wraps), with the
command line's rule selection (:mod:`ixrules.selection`) layered over it.

>>> config = parse_config(".ixrules.yaml", '''
... ignore: [guide.loaded_at.*]
... files:
...   - {match: "updates/*.json", endpoint: invoices.update}
... exclude: [package.json]
... per-file-ignores:
...   "legacy/*.json": [document.due_date.*]
... ''', root="/project")
>>> config.endpoint_for("/project/updates/7.json"), config.excluded("/project/web/package.json")
('invoices.update', True)
>>> [(setting.pattern, setting.severity, setting.line) for setting in config.severities]
[('guide.loaded_at.*', 'off', 2)]
>>> config.ignored_for("/project/legacy/1.json"), config.ignored_for("/project/new/1.json")
(('document.due_date.*',), ())
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .configfind import TOML_NAME, YAML_NAME, discover, read_config
from .configtoml import read_toml
from .model import SEVERITIES as RULE_SEVERITIES
from .ruleformat.errors import ConfigError, RuleFileError
from .ruleformat.reading import YList, YMap, line_of, load_yaml
from .ruleformat.severities import SeveritySetting
from .selection import UNCHANGED, Selection, SelectionError, is_pattern, matching, resolve
from .selection import check as check_pattern

if TYPE_CHECKING:
    from .model import RuleSet

__all__ = [
    "Config",
    "ConfigError",
    "FileIgnores",
    "FileSettings",
    "SeveritySetting",
    "configured_ruleset",
    "discover",
    "load_config",
    "parse_config",
    "selected_ruleset",
]

#: What a ``severity`` setting may give a rule: one of the rule format's severities, or ``off``
#: (the rule is dropped, as ``ignore`` does).
SEVERITIES = (*RULE_SEVERITIES, "off")


@dataclass(frozen=True)
class FileSettings:
    """One ``files`` entry: the files it matches and what they are checked with."""

    match: str
    endpoint: str | None = None
    context: str | None = None  # an absolute path
    file: str = ""
    line: int = 1


@dataclass(frozen=True)
class FileIgnores:
    """One ``per-file-ignores`` entry: a file glob, and the rule ids or globs not checked in the
    files it matches (after the rule selection, as ruff's per-file ignores)."""

    match: str
    rules: tuple[str, ...]
    file: str = "<config>"
    line: int = 1


_Entry = TypeVar("_Entry", "FileSettings", "FileIgnores")


@dataclass(frozen=True)
class Config:
    """A loaded configuration (the empty one when there is none). Paths are absolute; globs
    are relative to ``root``, the configuration's folder."""

    path: str | None = None
    root: str = "."
    #: The rule packs to layer over the rules, in order (absolute paths; the key ``rules``).
    packs: tuple[str, ...] = ()
    #: The ``ignore`` entries (severity ``off``), then the ``severity`` ones, in order.
    severities: tuple[SeveritySetting, ...] = ()
    files: tuple[FileSettings, ...] = ()
    exclude: tuple[str, ...] = ()
    strict: bool = False
    per_file_ignores: tuple[FileIgnores, ...] = ()
    #: The language of the messages and of the values (``locale``; ``--locale`` wins).
    locale: str | None = None

    def endpoint_for(self, name: str) -> str | None:
        """The endpoint of the last ``files`` entry that matches ``name`` and gives one."""
        return self._last(name, "endpoint")

    def context_for(self, name: str) -> str | None:
        """The context file of the last ``files`` entry that matches ``name`` and gives one."""
        return self._last(name, "context")

    def excluded(self, name: str) -> bool:
        """True when ``name`` (a path) matches an ``exclude`` glob."""
        return matches(self.exclude, self.root, name)

    def ignored_for(self, name: str) -> tuple[str, ...]:
        """The rule ids and globs of every ``per-file-ignores`` entry that matches ``name``."""
        return tuple(
            pattern
            for entry in self._matching(self.per_file_ignores, name)
            for pattern in entry.rules
        )

    def _last(self, name: str, key: str) -> str | None:
        found = None
        for entry in self._matching(self.files, name):
            value = getattr(entry, key)
            if value is not None:
                found = value
        return found

    def _matching(self, entries: Sequence[_Entry], name: str) -> Iterator[_Entry]:
        """The entries whose ``match`` glob matches ``name``, in order (the globs of a list
        compiled once: each file asks, and a list may hold thousands)."""
        relative = _relative(name, self.root)
        if relative is None:
            return
        regexes = _compiled(tuple(entry.match for entry in entries))
        for entry, regex in zip(entries, regexes, strict=True):
            if regex.match(relative):
                yield entry


# --- globs ------------------------------------------------------------------------------


def matches(patterns: Iterable[str], root: str, name: str) -> bool:
    """True when ``name`` (relative to the working directory, or absolute) matches one of
    ``patterns``, which are relative to ``root``. A pattern without ``/`` matches a file or
    folder of that name anywhere below ``root``; ``**`` matches any folders; a folder that
    matches holds only matching files."""
    relative = _relative(name, root)
    if relative is None:
        return False
    return any(regex.match(relative) for regex in _compiled(tuple(patterns)))


def _relative(name: str, root: str) -> str | None:
    """``name`` relative to ``root``, with ``/``; None when it is not below it."""
    relative = os.path.relpath(os.path.abspath(name), os.path.abspath(root)).replace(os.sep, "/")
    return None if relative == ".." or relative.startswith("../") else relative


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The regular expressions of a list of globs, made once per list (a configuration's
    ``exclude`` and ``files`` are asked about every file, and may hold thousands of globs:
    more than :func:`glob_regex` keeps, which would make each file cost as many compiles)."""
    return tuple(_glob(pattern) for pattern in patterns)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a path glob; ValueError for a glob that is not one.

    >>> bool(glob_regex("fixtures/**/*.json").match("fixtures/a/b/c.json"))
    True
    >>> bool(glob_regex("*.json").match("a/x.json")), bool(glob_regex("/x.json").match("a/x.json"))
    (True, False)
    """
    return _glob(pattern)


def _glob(pattern: str) -> re.Pattern[str]:
    if not pattern or pattern.strip() != pattern:
        raise ValueError("a glob must not be empty or start or end with blanks")
    body = pattern
    while body.startswith("./"):  # `./payloads/*.json` is `payloads/*.json`
        body = body[2:]
    anchored = "/" in body.rstrip("/")
    body = body.strip("/") if anchored else body.rstrip("/")
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = body.find("]", i + 2 if body.startswith("[!", i) else i + 1)
            if end < 0:
                raise ValueError(f"unclosed '[' in the glob {pattern!r}")
            inner = body[i + 1 : end]
            if inner in ("", "!"):
                raise ValueError(f"an empty '[]' in the glob {pattern!r}")
            inner = "^" + inner[1:] if inner.startswith("!") else inner
            out.append(f"[{inner.replace(chr(92), chr(92) * 2)}]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    source = ("" if anchored else "(?:.*/)?") + "".join(out) + "(?:/.*)?\\Z"
    try:
        return re.compile(source)  # short paths only: escaped text and [^/]* parts
    except re.error as exc:  # a bracket the glob does not close right: `x[]`, `[z-a]`
        raise ValueError(f"bad '[...]' in the glob {pattern!r}: {exc.msg}") from None


# --- finding and reading ----------------------------------------------------------------

#: How many configurations may include one another in a chain (``rules: [other/.ixrules.yaml]``).
MAX_INCLUDE_DEPTH = 32


def load_config(path: str | Path) -> Config:
    """Read and check the configuration file ``path`` (``.ixrules.yaml``-like YAML, or a
    ``pyproject.toml``)."""
    file = _shown(path)
    text = read_config(path, file)
    root = str(Path(path).resolve().parent)
    chain = [str(Path(path).resolve())]
    return parse_config(file, text, root=root, toml=Path(path).name.endswith(".toml"), chain=chain)


def parse_config(
    file: str, text: str, *, root: str = ".", toml: bool = False, chain: Sequence[str] = ()
) -> Config:
    """A configuration from its text; ``file`` names it in errors, ``root`` is its folder,
    ``chain`` the configurations that include it (to refuse a cycle)."""
    data = read_toml(file, text) if toml else _yaml(file, text)
    return _Reader(file, root).read(data, list(chain))


def _shown(path: str | Path) -> str:
    """A path as errors show it: relative to the working directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return str(path) if relative.startswith("..") else relative


def _yaml(file: str, text: str) -> YMap:
    try:
        data = load_yaml(text, file)
    except ConfigError:
        raise
    except RuleFileError as exc:
        raise ConfigError(exc.file, exc.line, exc.problem) from None
    if data is None:
        empty = YMap()
        empty.line, empty.key_lines = 1, {}
        return empty
    if not isinstance(data, YMap):
        raise ConfigError(file, line_of(data), "a configuration is a mapping at the top")
    return data


# --- checking ---------------------------------------------------------------------------

_TYPES: dict[str, str] = {
    "rules": "a list of paths",
    "ignore": "a list of rule ids or globs",
    "severity": "a mapping of rule ids or globs to error, warning or off",
    "files": "a list of {match, endpoint, context} mappings",
    "exclude": "a list of globs",
    "strict": "true or false",
    "per-file-ignores": "a mapping of file globs to lists of rule ids or globs",
    "locale": "a language code (pt, es, en_US)",
}
_MAPPINGS = ("severity", "per-file-ignores")
_FILES_KEYS = ("match", "endpoint", "context")


class _Reader:
    """Checks one configuration's data, each problem at its file and line."""

    def __init__(self, file: str, root: str) -> None:
        self.file = file
        self.root = root

    def fail(self, line: int, problem: str) -> ConfigError:
        return ConfigError(self.file, line, problem)

    def read(self, data: YMap, chain: list[str]) -> Config:
        for key, value in data.items():
            if key not in _TYPES:
                known = ", ".join(_TYPES)
                raise self.fail(line_of(data, key), f"unknown key {key!r} (known: {known})")
            if key == "strict" and not isinstance(value, bool):
                raise self.fail(line_of(data, key), f"strict must be {_TYPES[key]}")
            if key in _MAPPINGS and not isinstance(value, YMap):
                raise self.fail(line_of(data, key), f"{key} must be {_TYPES[key]}")
            if key == "locale" and not (isinstance(value, str) and value.strip()):
                raise self.fail(line_of(data, key), f"locale must be {_TYPES[key]}")
            if key not in ("strict", "locale", *_MAPPINGS) and not isinstance(value, YList):
                raise self.fail(line_of(data, key), f"{key} must be {_TYPES[key]}")
        severities = [
            SeveritySetting(pattern, "off", self.file, line)
            for pattern, line in self.strings(data, "ignore")
        ]
        table = data.get("severity", YMap())
        for pattern, severity in table.items():
            line = line_of(table, pattern)
            if severity is False:  # YAML 1.1 reads a bare `off` as false
                severity = "off"
            if severity not in SEVERITIES:
                raise self.fail(line, f"severity of {pattern!r} must be error, warning or off")
            severities.append(SeveritySetting(pattern, severity, self.file, line))
        exclude = self.globs(list(self.strings(data, "exclude")))
        packs = list(self.packs(data, chain))
        return Config(
            path=self.file,
            root=self.root,
            packs=tuple(packs),
            severities=tuple(severities),
            files=tuple(self.files(data)),
            exclude=tuple(exclude),
            strict=data.get("strict", False),
            per_file_ignores=tuple(self.per_file_ignores(data)),
            locale=data.get("locale"),
        )

    def per_file_ignores(self, data: YMap) -> Iterator[FileIgnores]:
        table = data.get("per-file-ignores", YMap())
        for glob, patterns in table.items():
            line = line_of(table, glob)
            self.glob(glob, line)
            if not isinstance(patterns, YList) or not patterns:
                raise self.fail(line, f"per-file-ignores of {glob!r} must be a list of rule ids")
            for index, pattern in enumerate(patterns):
                if not isinstance(pattern, str) or not is_pattern(pattern):
                    raise self.fail(
                        line_of(patterns, index),
                        f"{pattern!r} is no rule id or glob of ids (lower-case words, dots, *)",
                    )
            yield FileIgnores(glob, tuple(patterns), self.file, line)

    def strings(self, data: YMap, key: str) -> Iterator[tuple[str, int]]:
        values = data.get(key, YList())
        for index, value in enumerate(values):
            line = line_of(values, index)
            if not isinstance(value, str) or not value:
                raise self.fail(line, f"each entry of {key} must be a non-empty string")
            yield value, line

    def glob(self, pattern: str, line: int) -> None:
        try:
            glob_regex(pattern)
        except ValueError as exc:
            raise self.fail(line, f"bad glob {pattern!r}: {exc}") from None

    def globs(self, entries: list[tuple[str, int]]) -> list[str]:
        """The globs of a list, each compiled once, as matching will use them (thousands of
        globs are not compiled twice); the first bad one an error at its line."""
        patterns = [pattern for pattern, _ in entries]
        try:
            _compiled(tuple(patterns))
        except ValueError:
            for pattern, line in entries:
                self.glob(pattern, line)
        return patterns

    def files(self, data: YMap) -> Iterator[FileSettings]:
        entries = data.get("files", YList())
        for index, entry in enumerate(entries):
            line = line_of(entries, index)
            if not isinstance(entry, YMap):
                raise self.fail(line, "each entry of files must be a {match, endpoint, context}")
            for key, value in entry.items():
                where = line_of(entry, key)
                if key not in _FILES_KEYS:
                    known = ", ".join(_FILES_KEYS)
                    raise self.fail(where, f"unknown key {key!r} in a files entry (known: {known})")
                if not isinstance(value, str) or not value:
                    raise self.fail(where, f"{key} must be a non-empty string")
            if "match" not in entry:
                raise self.fail(line, "a files entry needs match: GLOB")
            self.glob(entry["match"], line_of(entry, "match"))
            context = None
            if "context" in entry:
                context = str(self.path(entry["context"], line_of(entry, "context")))
                if not os.path.isfile(context):
                    raise self.fail(
                        line_of(entry, "context"), f"context file {entry['context']!r} not found"
                    )
            yield FileSettings(
                entry["match"], entry.get("endpoint"), context, self.file, line_of(entry, "match")
            )

    def path(self, entry: str, line: int) -> Path:
        """``entry`` as an absolute path from the configuration's folder; a path the system
        refuses (a NUL, a name too long) is an error at its line."""
        try:
            return Path(self.root, entry).resolve()
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise self.fail(line, f"bad path {entry!r}: {reason}") from None

    def packs(self, data: YMap, chain: list[str]) -> Iterator[str]:
        """The rule packs of ``rules``, in order; an entry naming another configuration
        brings that configuration's packs in its place (a cycle is an error)."""
        for entry, line in self.strings(data, "rules"):
            path = self.path(entry, line)
            if not os.path.exists(path):
                raise self.fail(line, f"rule pack {entry!r} not found")
            if path.name in (YAML_NAME, TOML_NAME) or os.path.isfile(path / YAML_NAME):
                config = path / YAML_NAME if path.is_dir() else path
                if str(config) in chain:
                    cycle = " -> ".join([*(_shown(item) for item in chain), _shown(config)])
                    raise self.fail(line, f"the rules include each other: {cycle}")
                if len(chain) >= MAX_INCLUDE_DEPTH:
                    raise self.fail(
                        line, f"configurations included more than {MAX_INCLUDE_DEPTH} deep"
                    )
                yield from _included(config, [*chain, str(config)])
            else:
                yield str(path)


def _included(path: Path, chain: list[str]) -> tuple[str, ...]:
    """The packs of the configuration ``path``, included from another one (the whole file is
    checked, though only its ``rules`` are used)."""
    file = _shown(path)
    text = read_config(path, file)
    toml = path.name.endswith(".toml")
    return parse_config(file, text, root=str(path.parent), toml=toml, chain=chain).packs


# --- the rule set a configuration asks for ----------------------------------------------


def configured_ruleset(
    path: str | Path | None,
    directory: str | Path,
    packs: Iterable[str | Path] = (),
    selection: Selection = UNCHANGED,
) -> tuple[RuleSet, Config]:
    """The rule set the configuration ``path`` asks for, and the configuration: the rule files
    of ``directory`` with its packs (then ``packs``) layered over them, its ``ignore`` and
    ``severity`` applied, then the command line's ``selection``, each ``files`` entry's endpoint
    and each ``per-file-ignores`` rule checked. ``path`` None finds the configuration from the
    working directory upward (none found: the rules as they are, with ``packs``). Anything
    wrong is a :class:`ConfigError` (or, in a pack, :class:`~ixrules.RuleFileError`) naming the
    file and line; a selection that names no rule is a :class:`~ixrules.selection.SelectionError`.

    >>> ruleset, config = configured_ruleset(None, "rules")
    >>> config.path is None, "invoices.create" in ruleset.endpoints
    (True, True)
    """
    # YAML: only to build a rule set
    from .ruleformat.builder import load_rule_dir
    from .ruleformat.reading import pack_texts

    found = Path(path) if path is not None else discover()
    config = load_config(found) if found is not None else Config()
    ruleset = load_rule_dir(directory, pack_texts([*config.packs, *packs]))
    for ignores in config.per_file_ignores:
        for pattern in ignores.rules:
            try:
                check_pattern(ruleset.rules, pattern)
            except SelectionError as exc:
                raise ConfigError(ignores.file, ignores.line, str(exc)) from None
    ruleset = selected_ruleset(ruleset, config, selection)
    for entry in config.files:
        if entry.endpoint is not None and entry.endpoint not in ruleset.endpoints:
            raise ConfigError(entry.file, entry.line, f"unknown endpoint {entry.endpoint!r}")
    return ruleset, config


def selected_ruleset(ruleset: RuleSet, config: Config, selection: Selection = UNCHANGED) -> RuleSet:
    """``ruleset`` with the configuration's ``ignore`` and ``severity`` applied, then the
    command line's ``selection`` (which wins: its ``select`` turns back on a rule the
    configuration turned off)."""
    from .ruleformat.severities import apply_severities

    levels = list(config.severities)
    if selection:
        for option, pattern in selection.named():
            try:
                check_pattern(ruleset.rules, pattern)
            except SelectionError as exc:
                raise SelectionError(f"{option} {exc}") from None
        ids = list(ruleset.rules)
        configured = {rule_id: _level(rule_id, config.severities) for rule_id in ids}
        kept = resolve(ids, [i for i in ids if configured[i][0] != "off"], selection)
        for rule_id in ids:
            level, before = configured[rule_id]
            if rule_id not in kept and level != "off":
                levels.append(SeveritySetting(rule_id, "off", "<command line>"))
            elif rule_id in kept and level == "off":
                severity = before or ruleset.rules[rule_id].severity
                levels.append(SeveritySetting(rule_id, severity, "<command line>"))
    try:
        return apply_severities(ruleset, levels)
    except ConfigError:
        raise
    except ValueError as exc:
        file, line = getattr(exc, "file", config.path or ""), getattr(exc, "line", 1)
        raise ConfigError(file, line, getattr(exc, "problem", str(exc))) from None


def _level(rule_id: str, settings: Sequence[SeveritySetting]) -> tuple[str | None, str | None]:
    """The severity the last matching setting gives ``rule_id`` (None: none matches), and the
    last one before it that was not ``off`` (what the rule is when turned back on)."""
    level = before = None
    for setting in settings:
        if fnmatch.fnmatchcase(rule_id, setting.pattern):
            if level is not None and level != "off":
                before = level
            level = setting.severity
    return level, before


def without(ruleset: RuleSet, patterns: Sequence[str]) -> RuleSet:
    """``ruleset`` less the rules ``patterns`` match (a file's ``per-file-ignores``); a
    pattern matching none of its rules (one the selection left out) drops nothing."""
    from .ruleformat.severities import apply_severities

    dropped = {rule_id for pattern in patterns for rule_id in matching(ruleset.rules, pattern)}
    if not dropped:
        return ruleset
    return apply_severities(
        ruleset, [SeveritySetting(rule_id, "off") for rule_id in sorted(dropped)]
    )
