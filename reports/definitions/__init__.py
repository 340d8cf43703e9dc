"""Importing this package registers every report."""

from . import (  # noqa: F401
    consultation_compliance,
    non_local_compliance,
    planning_structure,
    rotated_serving,
    rotation_summary,
    tenure_watchlist,
    training_standards,
)
