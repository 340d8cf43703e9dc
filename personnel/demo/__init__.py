"""A realistic, deterministic demo province for ``manage.py seed_demo``.

``plan.build_plan(seed, today)`` is pure (no database): it lays out localities, units,
positions and officials with their careers, trainings, evaluations and planning.
``persist.persist_plan(plan)`` writes that plan in bulk.
"""
