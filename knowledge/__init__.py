"""The domain, pure Python: never imports telegram or aiohttp; plain synchronous tests.

The kernel, flat modules every domain may use (it imports no domain):

- ``errors``       the error tree (``KnowledgeError`` and below);
- ``settings``     the frozen configuration dataclasses;
- ``clock``        the time zone and the clock the services take;
- ``store``        the one SQLite file on its one writer thread (migrations handed in);
- ``core_schema``  the kernel's tables: users, inbox, conversation state;
- ``users``        language, consent, blocks; ``inbox`` the webhook inbox's rows;
- ``textnorm``     Vietnamese normalisation (accents, Telex/VNI residue, folding);
- ``formats``      Vietnamese numbers, percentages and dates (1.672; 90,79%);
- ``workdays``     the working-day calendar (Tết and public holidays).

The domains, each a package whose ``__init__`` is its face and its map:

- ``catalogue/``   procedures, the shipped catalogue file, the provincial overlay, due dates;
- ``search/``      Vietnamese search over the catalogue (may use ``catalogue``'s face);
- ``feedback/``    complaints: drafts, the lifecycle, officials' actions, ratings, privacy;
- ``tasks/``       administrative-reform tasks: records, counting, updates, digest, reports.

``data/`` holds the shipped data.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
"""The shipped data: catalogue, aliases, sample overlay and sample tasks."""
CATALOGUE_PATH = DATA_DIR / "catalogue.json.gz"
"""The shipped catalogue (``python -m bot catalogue import`` writes it)."""
