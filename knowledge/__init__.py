"""The domain, pure Python: never imports telegram."""
