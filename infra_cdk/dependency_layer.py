"""Build the dependency layer for the Lambda platform (Python 3.12, arm64) without Docker.

`python -m infra_cdk.dependency_layer` installs `[project].dependencies` from pyproject.toml as
manylinux aarch64 wheels into `.build/layers/dependencies/python` (the layer's `/opt/python`). The stamp
file keeps a hash of what was asked for, so an unchanged list costs nothing. boto3 and botocore are left
out: the Lambda runtime ships them, and a copy in the layer would only add megabytes and shadow it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYER_DIR = ROOT / ".build" / "layers" / "dependencies"
SITE_PACKAGES = LAYER_DIR / "python"
STAMP = SITE_PACKAGES / ".built"
CONSTRAINTS = ROOT / "constraints.txt"  # the versions tests ran with: the layer ships the same
RUNTIME_PROVIDED = frozenset({"boto3", "botocore"})
PLATFORM_ARGS = (
    "--platform",
    "manylinux2014_aarch64",
    "--implementation",
    "cp",
    "--python-version",
    "3.12",
    "--only-binary=:all:",
)


def distribution_name(requirement: str) -> str:
    """`aws-lambda-powertools[tracer]>=3.20,<4` -> `aws-lambda-powertools` (PEP 503 normalised)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    if name is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def layer_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    return sorted(req for req in dependencies if distribution_name(req) not in RUNTIME_PROVIDED)


def fingerprint(requirements: list[str]) -> str:
    pins = CONSTRAINTS.read_text() if CONSTRAINTS.exists() else ""
    return hashlib.sha256("\n".join([*requirements, *PLATFORM_ARGS, pins]).encode()).hexdigest()


def remove_runtime_provided(site_packages: Path) -> None:
    """Transitive copies too (pynamodb and the X-Ray SDK pull botocore in): delete what their RECORD lists."""
    for dist in distributions(path=[str(site_packages)]):
        if distribution_name(dist.metadata["Name"]) in RUNTIME_PROVIDED:
            for file in dist.files or ():
                Path(str(dist.locate_file(file))).unlink(missing_ok=True)
    for directory in sorted(site_packages.rglob("*"), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def build() -> Path:
    requirements = layer_requirements()
    wanted = fingerprint(requirements)
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        print(f"dependency layer up to date: {SITE_PACKAGES}")
        return SITE_PACKAGES
    shutil.rmtree(LAYER_DIR, ignore_errors=True)
    SITE_PACKAGES.mkdir(parents=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            *PLATFORM_ARGS,
            *(["--constraint", str(CONSTRAINTS)] if CONSTRAINTS.exists() else []),
            "--target",
            str(SITE_PACKAGES),
            *requirements,
        ],
        check=True,
    )
    remove_runtime_provided(SITE_PACKAGES)
    STAMP.write_text(wanted + "\n")
    print(f"dependency layer built: {SITE_PACKAGES}")
    return SITE_PACKAGES


if __name__ == "__main__":
    build()
