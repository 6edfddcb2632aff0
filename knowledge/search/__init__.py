"""Procedure search: a citizen's words in, the right administrative procedure out.

The pipeline (built once; a query only reads in-memory structures, never scans raw text):

1. Read the message (``reading``): the clause that asks, the story before it, the aspect asked
   (time, fee, documents, place, online, postal) and the cues of a message no procedure
   answers (a fine, a dispute, legal advice, a dossier already filed, a complaint).
2. Normalise (:mod:`knowledge.textnorm`, driven by ``query``): case, punctuation, ``đ``, tone
   placement, Telex/VNI residue and glued syllables, checked against the catalogue vocabulary.
3. Aliases (``aliases``, ``knowledge/data/aliases.csv``): an expansion rewrites the query into
   an extra variant (``sổ đỏ`` → ``giấy chứng nhận quyền sử dụng đất``); codes make an alias an
   extra name of those procedures (``index``).
4. Weigh the query words (``query``): rarity in the catalogue (IDF); filler, politeness and
   question words dropped or weighed down, chit-chat silenced (word lists in ``lexicon``); the
   story's words weigh ``STORY_SHARE`` of the question's.
5. Retrieve (``ranking`` over ``index``) twice, the whole message and the asking clause alone:
   postings of words, tone-keyed words and word pairs score every name with numpy vector adds;
   the best names are re-ranked with rapidfuzz and phrase/prefix features. ``fulltext`` adds a
   BM25 ranking over more of each procedure's text (who it is for, conditions, result, papers).
6. Score each candidate with the fitted model (``model``: features, a listwise linear scorer,
   a calibrated probability, the refer model; weights in ``knowledge/data/search_model.json``,
   fitted by ``fitting``) and decide (``calibration``): card, list, clarify or none; the engine
   refers a message no procedure answers.

Parts, in import order (each imports only the ones above it):

- ``weights``: the hand-set weights of the name ranking, named, with the reason for each.
- ``lexicon``: the word lists (filler, context, chit-chat, secondary actions): tuning data.
- ``reading``: :func:`read` → :class:`Reading` (asking clause, story, aspect, refer cues).
- ``smalltalk``: :func:`classify`: greetings, thanks, insults, emoji, questions about the
  centre — no search.
- ``aliases``: :class:`Alias`, :class:`AliasProblem`, :func:`load_aliases`, ``DEFAULT_ALIASES``.
- ``fulltext``: ``FullText``, BM25 over each procedure's own text.
- ``model``: rank and refer features, ``SearchModel`` and its JSON file, the fitting maths.
- ``index``: ``SearchIndex``, the in-memory index built from procedures and aliases.
- ``query``: a query string into weighed token variants (``tokens``, ``prepare``).
- ``ranking``: scoring names against the variants, folding them into ranked procedures.
- ``calibration``: the hand-fitted name-match probability, the card/list/clarify/none decision.
- ``engine``: :class:`SearchEngine`, :class:`SearchResult`, :class:`Hit`, ``DECISIONS``.
- ``fitting``: the labelled sets, :func:`fit` (``python -m bot catalogue fit-search``) and
  :func:`evaluate` (what ``benchmarks/bench_search.py`` prints).

Public names: :class:`SearchEngine`, :class:`SearchResult`, :class:`Hit`, :class:`Option`,
``DECISIONS``,
:class:`ProcedureSource`, :class:`Alias`, :class:`AliasProblem`, :func:`load_aliases`,
``DEFAULT_ALIASES``. Tuning is read where it lives: ``knowledge.search.weights``,
``knowledge.search.lexicon``, ``knowledge.search.reading``, ``knowledge/data/search_model.json``.
"""

from __future__ import annotations

from knowledge.search.aliases import DEFAULT_ALIASES, Alias, AliasProblem, load_aliases
from knowledge.search.calibration import Option
from knowledge.search.engine import DECISIONS, Hit, ProcedureSource, SearchEngine, SearchResult

__all__ = [
    "DECISIONS",
    "DEFAULT_ALIASES",
    "Alias",
    "AliasProblem",
    "Hit",
    "Option",
    "ProcedureSource",
    "SearchEngine",
    "SearchResult",
    "load_aliases",
]
