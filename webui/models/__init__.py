"""The process owner's area: processes and their versions, the bpmn-js modeler with its drafts, the lint
on the diagram, deploying a new version, the diff between versions and the form builder.

Only members of the owner groups (:mod:`webui.models.owners`) reach it. Deploying goes through
:meth:`engine.platform.Platform.deploy_bundle`, the same path as ``run.py deploy``.
"""

from __future__ import annotations

from webui.models import builder, modeler  # noqa: F401  (their routes join the blueprint)
from webui.models.views import bp

__all__ = ["bp"]
