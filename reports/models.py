"""Report runs and subscriptions."""
