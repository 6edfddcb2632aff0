"""Officials' reform-task commands."""
