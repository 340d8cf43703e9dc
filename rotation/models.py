"""Rotation workflow models: decisions, movements, consultations, reviews."""
