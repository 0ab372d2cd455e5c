"""Build the dependency layers for the Lambda platform (Python 3.12, arm64) without Docker.

`python -m infra_cdk.dependency_layer` installs `[project].dependencies` from pyproject.toml as manylinux
aarch64 wheels, one layer per group of `LAYER_PACKAGES`, into `.build/layers/<group>/python` (the layer's
`/opt/python`). Every function gets the core layer; a function attaches another only if its code imports
that group's packages (`FunctionSpec.dependency_layers`), so the 24 MB twilio SDK weighs only on calls.

A group layer leaves out what the core layer already holds (the same pinned versions: core is always
attached beside it) and, like core, boto3 and botocore: the Lambda runtime ships them, and a copy would only
add megabytes and shadow it. Each stamp keeps a hash of what was asked for, so an unchanged list costs
nothing.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import distributions
from pathlib import Path
from typing import get_args

from infra_cdk.wiring import CORE_LAYER, DependencyLayer

ROOT = Path(__file__).resolve().parent.parent
LAYERS_DIR = ROOT / ".build" / "layers"
ALL_BUILT = LAYERS_DIR / ".built"  # every layer is up to date (the Makefile's target)
CONSTRAINTS = ROOT / "constraints.txt"  # the versions tests ran with: the layers ship the same
RUNTIME_PROVIDED = frozenset({"boto3", "botocore"})
# Which pyproject dependency goes into which layer (PEP 503 names); each dependency in exactly one.
LAYER_PACKAGES: Mapping[DependencyLayer, frozenset[str]] = {
    "core": frozenset(
        {
            "aws-lambda-powertools",
            "pydantic",
            "pydantic-settings",
            "pynamodb",
            "python-ulid",
            "disposable-email-domains",  # 0.4 MB: not worth a layer of its own
        }
    ),
    "crypto": frozenset({"cryptography"}),  # list cursors (functions that page)
    "phone": frozenset({"phonenumberslite"}),  # sign-up and login by phone number
    "voice": frozenset({"twilio"}),  # 1:1 calls, with aiohttp and requests
    "http": frozenset({"httpx", "tenacity"}),  # outbound HTTPS to providers, retried with back-off
    "kyc": frozenset({"python-stdnum"}),  # PAN and Aadhaar validation
}
LAYER_NAMES: tuple[DependencyLayer, ...] = get_args(DependencyLayer)
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


def site_packages(layer: DependencyLayer) -> Path:
    return LAYERS_DIR / layer / "python"


def layer_directory(layer: DependencyLayer) -> Path:
    """The asset directory of a layer (it holds `python/`)."""
    return LAYERS_DIR / layer


def layer_requirements(
    pyproject: Path = ROOT / "pyproject.toml",
    packages: Mapping[DependencyLayer, frozenset[str]] = LAYER_PACKAGES,
) -> dict[DependencyLayer, list[str]]:
    """Each layer's requirements, as pyproject.toml spells them; a dependency no layer claims is an error
    (it would be missing in AWS while every test passes)."""
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    wanted = [req for req in dependencies if distribution_name(req) not in RUNTIME_PROVIDED]
    unclaimed = {distribution_name(req) for req in wanted} - set().union(*packages.values())
    if unclaimed:
        raise ValueError(f"no layer in LAYER_PACKAGES holds {sorted(unclaimed)}")
    return {
        layer: sorted(req for req in wanted if distribution_name(req) in names)
        for layer, names in packages.items()
    }


def fingerprint(requirements: Iterable[str]) -> str:
    pins = CONSTRAINTS.read_text() if CONSTRAINTS.exists() else ""
    return hashlib.sha256("\n".join([*requirements, *PLATFORM_ARGS, pins]).encode()).hexdigest()


def installed_distributions(site: Path) -> set[str]:
    return {distribution_name(dist.metadata["Name"]) for dist in distributions(path=[str(site)])}


def remove_distributions(site: Path, names: Iterable[str]) -> None:
    """Transitive copies too (pynamodb and the X-Ray SDK pull botocore in): delete what their RECORD lists."""
    unwanted = set(names)
    for dist in distributions(path=[str(site)]):
        if distribution_name(dist.metadata["Name"]) in unwanted:
            for file in dist.files or ():
                Path(str(dist.locate_file(file))).unlink(missing_ok=True)
    for directory in sorted(site.rglob("*"), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def _install(site: Path, requirements: list[str]) -> None:
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
            str(site),
            *requirements,
        ],
        check=True,
    )


def build() -> None:
    requirements = layer_requirements()
    core_fingerprint = fingerprint(requirements[CORE_LAYER])
    # A group layer is what its packages add to core: core's contents are part of what it was built from.
    wanted = {layer: fingerprint([*requirements[layer], core_fingerprint]) for layer in LAYER_NAMES}
    stale = [layer for layer in LAYER_NAMES if _stamp(layer) != wanted[layer]]
    for layer in (layer for layer in LAYER_NAMES if layer not in stale):
        print(f"dependency layer up to date: {site_packages(layer)}")
    # The installs run side by side (pip mostly waits on the index and downloads); what a group layer leaves
    # out depends on core's contents, so the trimming comes after, core first (LAYER_NAMES starts with it).
    with ThreadPoolExecutor(max_workers=max(len(stale), 1)) as pool:
        list(pool.map(lambda layer: _fresh_install(layer, requirements[layer]), stale))
    for layer in stale:
        provided = RUNTIME_PROVIDED
        if layer != CORE_LAYER:
            provided |= installed_distributions(site_packages(CORE_LAYER))
        remove_distributions(site_packages(layer), provided)
        (site_packages(layer) / ".built").write_text(wanted[layer] + "\n")
        print(f"dependency layer built: {site_packages(layer)}")
    ALL_BUILT.write_text(fingerprint([*LAYER_NAMES, core_fingerprint]) + "\n")


def _stamp(layer: DependencyLayer) -> str | None:
    stamp = site_packages(layer) / ".built"
    return stamp.read_text().strip() if stamp.exists() else None


def _fresh_install(layer: DependencyLayer, requirements: list[str]) -> None:
    shutil.rmtree(layer_directory(layer), ignore_errors=True)
    site_packages(layer).mkdir(parents=True)
    _install(site_packages(layer), requirements)


if __name__ == "__main__":
    build()
