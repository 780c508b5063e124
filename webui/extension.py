"""The app's one slot for the engine: ``app.extensions["nezarat"]`` holds the :class:`Platform`."""

from __future__ import annotations

from flask import Flask, current_app

from engine.platform import Platform

KEY = "nezarat"


def attach(app: Flask, platform: Platform) -> None:
    app.extensions[KEY] = platform


def current_platform() -> Platform:
    platform: Platform = current_app.extensions[KEY]
    return platform
