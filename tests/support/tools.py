"""Debian tools the tests drive for real (pdftoppm, pdfsig, certutil, softhsm2-util, openssl).

``make test`` installs them (``make system-deps``), so a missing one is a broken setup: the test fails
saying which package to install, instead of skipping and passing with the real part never run.
"""

from __future__ import annotations

import shutil

import pytest


def require(name: str, package: str) -> str:
    """The path of the executable ``name``; fails the test when it is not installed."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install the Debian package {package} (make system-deps)")
    return path
