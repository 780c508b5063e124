"""Form definitions (JSON Schema plus UI hints), their validation with ``jsonschema`` and rendering.

Imports ``engine`` types only; never Flask. Filled in by the process-library work (forms, system checks).
"""
