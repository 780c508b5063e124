"""Municipal budgets: fiscal years, the budget classification, the circular's rules, the structure checks
and the credit ledger of each approved line.

The pure modules (``fiscal``, ``classification``, ``circular``, ``structure``, ``numerals``, ``case``,
``demo``) import nothing from the store, so handlers may use them; :mod:`engine.budget.ledger` works on a
database session and reaches handlers only as the ``ledger`` service of their ``HandlerContext``.
Rules and titles are data: ``engine/data/budget_classification.json`` and
``engine/data/budget_circulars/<year>.json``.
"""
