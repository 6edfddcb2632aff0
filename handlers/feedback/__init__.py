"""Feedback and complaints: the citizen's guided chat and the officials' queue."""
