"""The domain, pure Python: never imports telegram."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
"""The shipped data: catalogue, aliases, sample overlay and sample tasks."""
CATALOGUE_PATH = DATA_DIR / "catalogue.json.gz"
"""The shipped catalogue (``python -m bot catalogue import`` writes it)."""
