"""Everything that touches SpiffWorkflow lives here, so an upgrade of the library touches one package.

The rest of the engine talks to :mod:`engine.spiff.workflow` (the adapter) and
:mod:`engine.spiff.parser`; nothing outside this package imports SpiffWorkflow.
"""
