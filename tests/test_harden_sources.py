"""Issue 27, items 6 and 16 (the command's side): walks and globs never leave the tree they were
given, whatever links a repository holds; positions are right with CR-only line ends and at a
5,000-digit integer. Every run goes through the installed command, with a time bound.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import Result, Run, run_all

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="symbolic links, raw names")

SECONDS = 60
INVOICE = Path(__file__).resolve().parent / "fixtures" / "cli" / "invoice.json"
SECRET = "SECRET-VALUE-OF-A-FILE-ELSEWHERE"
#: What linting the tree's one payload (reached through its own links too) finds.
TAIL = "Found 5 problems in 1 file; 1 file checked.\n"


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    """A repository ``repo/d`` holding one payload and links: to a folder elsewhere, to ``/``,
    to a payload elsewhere, to its own folder and file (fine: inside), and a loop."""
    tmp = tmp_path_factory.mktemp("links")
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.json").write_text(json.dumps({"invoice": {SECRET: SECRET}}), "utf-8")
    tree = tmp / "repo" / "d"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "invoice.json").write_bytes(INVOICE.read_bytes())
    (tree / "out").symlink_to(elsewhere)
    (tree / "root").symlink_to("/")
    (tree / "leak.json").symlink_to(elsewhere / "secret.json")
    (tree / "inside").symlink_to("sub")
    (tree / "loop").symlink_to(".")
    runs = {
        "directory": ["lint", "d"],
        "double_star": ["lint", "d/**/*.json"],
        "star": ["lint", "d/*/*.json"],
        "star_file": ["lint", "d/*.json"],
        "from_here": ["lint", "**/*.json"],
        "named": ["lint", "d/leak.json"],  # named on the command line: the user's choice
    }
    yield run_all(
        {
            key: Run(args, cwd=tmp / "repo", timeout=SECONDS)  # a walk of / never ends in time
            for key, args in runs.items()
        }
    )


def skipped(*paths: str, tree: str = "d") -> str:
    return "".join(f"{path}: skipped: a symbolic link leads out of {tree}\n" for path in paths)


def test_a_walk_never_follows_a_link_out_of_its_directory(walked: dict[str, Result]) -> None:
    result = walked["directory"]
    assert result == Result(
        1,
        "".join(
            f"d/inside/invoice.json:{line}\n"
            for line in [
                "4:17: Due date must be later than date [document.due_date.after_date]",
                "5:15: Client is invalid [document.client.invalid]",
                "5:65: Country Germani was not found [country.known] (did you mean 'Germany'?)",
                "6:14: Invoice items is invalid [document.items.invalid]",
                "7:69: Unit kg is not included in the list of accepted units [item.unit.accepted]",
            ]
        )
        + TAIL,
        skipped("d/out", "d/root", "d/leak.json"),
    )


@pytest.mark.parametrize(
    ("key", "err"),
    [
        ("double_star", skipped("d/out", "d/root", "d/leak.json")),
        ("from_here", skipped("d/out", "d/root", "d/leak.json", tree=".")),
    ],
)
def test_a_glob_never_follows_a_link_out_of_its_tree(
    walked: dict[str, Result], key: str, err: str
) -> None:
    result = walked[key]
    assert SECRET not in result.out + result.err
    assert (result.code, result.err) == (1, err)
    assert result.out.endswith(TAIL)


def test_a_glob_without_double_star_checks_every_match(walked: dict[str, Result]) -> None:
    star = walked["star"]  # d/*/*.json: through d/out, d/root (whatever / holds), d/loop
    assert SECRET not in star.out + star.err and "d/root" not in star.out
    assert star.code == 1 and star.out.endswith(TAIL)
    lines = star.err.splitlines(keepends=True)
    assert all(line.endswith(": skipped: a symbolic link leads out of d\n") for line in lines)
    assert {"d/out/secret.json", "d/loop/leak.json"} <= {line.split(":")[0] for line in lines}
    only = walked["star_file"]  # d/*.json: its one match points out
    assert only == Result(
        2,
        "Could not check everything; no problems in the rest; 0 files checked, 1 failure.\n",
        skipped("d/leak.json") + "d/*.json: error: no file matches this pattern\n",
    )


def test_a_file_named_on_the_command_line_is_read_where_it_points(
    walked: dict[str, Result],
) -> None:
    result = walked["named"]
    assert result.code == 1 and result.err == ""
    assert SECRET in result.out


# --- item 16: positions -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def placed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("positions")
    body = '{\n"invoice": {\n  "date": "x",\n  "client": {"name": 1},\n  "n": NUMBER}}'
    for name, end in (("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")):
        (tmp / f"{name}.json").write_bytes(body.replace("\n", end).replace("NUMBER", "1").encode())
    (tmp / "big.json").write_bytes(body.replace("\n", "\r").replace("NUMBER", "9" * 5000).encode())
    (tmp / "bad.json").write_bytes(b'{\r"invoice": {\r  "x": "\xff"}}')
    (tmp / "nan.json").write_bytes(b'{\r"invoice": {\r  "x": NaN}}')
    names = ["lf.json", "cr.json", "crlf.json", "big.json", "bad.json", "nan.json"]
    yield run_all(
        {
            "all": Run(["lint", "-e", "invoices.update", *names], cwd=tmp, timeout=SECONDS),
        }
    )


def test_lines_end_with_lf_crlf_or_a_lone_cr(placed: dict[str, Result]) -> None:
    result = placed["all"]
    for name in ("lf", "cr", "crlf"):
        assert f"{name}.json:3:11: Date is not valid [document.date.valid]\n" in result.out
        assert f"{name}.json:5:8: warning: Unknown key n, which the API drops" in result.out
    assert result.err == (
        "big.json:5:8: error: cannot read: an integer of 5,000 digits (at most 4,300 are read)\n"
        "bad.json:3:9: error: not UTF-8 text: byte 0xff\n"
        "nan.json:3:8: error: not valid JSON: NaN is not a JSON value\n"
    )
