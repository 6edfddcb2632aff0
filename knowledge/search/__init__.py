"""Procedure search: a citizen's words in, the right administrative procedure out.

The pipeline (built once; a query only reads in-memory structures, never scans raw text):

1. Normalise (:mod:`knowledge.textnorm`, driven by ``query``): case, punctuation, ``đ``, tone
   placement, Telex/VNI residue and glued syllables, checked against the catalogue vocabulary.
2. Aliases (``aliases``, ``knowledge/data/aliases.csv``): an expansion rewrites the query into
   an extra variant (``sổ đỏ`` → ``giấy chứng nhận quyền sử dụng đất``); codes make an alias an
   extra name of those procedures (``index``).
3. Weigh the query words (``query``): rarity in the catalogue (IDF); filler, politeness and
   question words dropped or weighed down, chit-chat silenced (word lists in ``lexicon``).
4. Retrieve (``ranking`` over ``index``): postings of words, tone-keyed words and word pairs
   score every name with numpy vector adds, plus small priors.
5. Re-rank the best names with rapidfuzz and phrase/prefix features; fold names to procedures,
   level-only duplicates behind distinct procedures (``ranking``).
6. A calibrated score in [0, 1] and a decision, ``card``, ``list`` or ``none``
   (``calibration``).

Parts, in import order (each imports only the ones above it):

- ``weights``: every weight of the search, named, with the reason for its value.
- ``lexicon``: the word lists (filler, context, chit-chat, secondary actions): tuning data.
- ``aliases``: :class:`Alias`, :class:`AliasProblem`, :func:`load_aliases`, ``DEFAULT_ALIASES``.
- ``index``: ``SearchIndex``, the in-memory index built from procedures and aliases.
- ``query``: a query string into weighed token variants (``tokens``, ``prepare``).
- ``ranking``: scoring names against the variants, folding them into ranked procedures.
- ``calibration``: ``T_LOW``, ``T_CARD``, ``CARD_GAP``, ``LIST_SPAN``, ``RANK_DECAY``, the score
  in [0, 1] and the card/list/none decision.
- ``engine``: :class:`SearchEngine`, :class:`SearchResult`, :class:`Hit`, ``DECISIONS``.

Public names: :class:`SearchEngine`, :class:`SearchResult`, :class:`Hit`, ``DECISIONS``,
:class:`ProcedureSource`, :class:`Alias`, :class:`AliasProblem`, :func:`load_aliases`,
``DEFAULT_ALIASES``. Tuning is read where it lives: ``knowledge.search.weights``,
``knowledge.search.lexicon``, ``knowledge.search.calibration``.
"""

from __future__ import annotations

from knowledge.search.aliases import DEFAULT_ALIASES, Alias, AliasProblem, load_aliases
from knowledge.search.engine import DECISIONS, Hit, ProcedureSource, SearchEngine, SearchResult

__all__ = [
    "DECISIONS",
    "DEFAULT_ALIASES",
    "Alias",
    "AliasProblem",
    "Hit",
    "ProcedureSource",
    "SearchEngine",
    "SearchResult",
    "load_aliases",
]
