"""The wheel ships the YAML rules: built, installed into a fresh virtual environment (with no
access to this source tree) and used there."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys, ixrules
from ixrules.api import rules_dir
body = {"invoice": {"client": {"name": "Acme"}, "items": [{"name": "Pen", "unit_price": 1,
        "quantity": 1, "unit": "kg"}]}}
print(json.dumps({"file": ixrules.__file__, "rules": str(rules_dir()),
                  "messages": ixrules.validate(body).messages}))
"""


@pytest.mark.slow
def test_the_wheel_installs_and_validates(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(TOP),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("ixrules-*.whl"))
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    target = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # the dependencies come from this interpreter's site-packages, appended after the fresh one
    (target / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    out = subprocess.run(
        [str(python), "-c", SCRIPT],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": os.environ.get("PATH", "")},
    )
    result = json.loads(out.stdout)
    assert result["file"].startswith(str(target))
    assert result["rules"] == str(target / "ixrules" / "rules")
    assert result["messages"] == [
        "Invoice items is invalid",
        "Unit kg is not included in the list of accepted units",
    ]
