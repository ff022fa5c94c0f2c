"""From an installed wheel: package data present, the example workspace works."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("ess_coop-*.whl"))


def test_wheel_holds_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "ess_coop/locales/fr.json",
        "ess_coop/locales/en.json",
        "ess_coop/data/init/ess-coop.fr.yaml",
        "ess_coop/example/ess-coop.yaml",
        "ess_coop/example/actors.yaml",
        "ess_coop/example/templates/guide.yaml",
        "ess_coop/example/templates/themes.yaml",
        "ess_coop/data/referentiel.docx",
        "ess_coop/data/fonts/LiberationSans-Regular.ttf",
        "ess_coop/data/fonts/LICENSE-Liberation.txt",
    ):
        assert expected in names
    assert any(n.startswith("ess_coop/example/interviews/") for n in names)


def test_wheel_holds_the_format_guides_as_written_in_docs(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for lang, source in (("en", "format.md"), ("fr", "format.fr.md")):
            assert archive.read(f"ess_coop/data/format.{lang}.md") == (ROOT / "docs" / source).read_bytes()


def test_installed_wheel_runs(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import ess_coop; print(ess_coop.__file__)"],
                           env=env, capture_output=True, text=True, check=True, cwd=tmp_path)  # fmt: skip
    assert probe.stdout.strip().startswith(str(target))
    demo = tmp_path / "demo"
    docs = subprocess.run([sys.executable, "-m", "ess_coop", "docs"], env=env, capture_output=True, text=True,
                          cwd=tmp_path)  # fmt: skip
    assert docs.stdout.startswith("# Format de l'espace de travail ess-coop")
    for args in (["init", "--example", str(demo)], ["validate", "--workspace", str(demo)]):
        run = subprocess.run([sys.executable, "-m", "ess_coop", *args], env=env, capture_output=True, text=True,
                             cwd=tmp_path)  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
    assert "Aucune erreur" in run.stdout


def test_help_imports_no_heavy_library() -> None:
    """``--help`` must stay fast: Word, images, YAML and Pydantic load only in the commands using them."""
    probe = (
        "import sys\n"
        "from ess_coop import cli\n"
        "sys.argv = ['ess-coop', '--help']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('docx', 'lxml', 'PIL', 'openpyxl', 'ruamel', 'yaml', 'pydantic', 'watchfiles')\n"
        "print(sorted(name for name in heavy if name in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
