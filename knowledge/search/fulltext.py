"""BM25 over more of each procedure than its name: who it is for, conditions, result, papers.

A citizen's story names things a clerk recognises in a procedure's own text rather than in
its name: "giấy viết tay" is in the requirements of a first land certificate, "di chúc" in the
papers of an inheritance registration. :class:`FullText` indexes, per procedure, its name and
keywords (counted :data:`NAME_REPEAT` times), its subjects (``doi_tuong_thuc_hien``), its
result (``ket_qua_xu_ly``), the start of its conditions (``yeu_cau_dieu_kien``) and of its
documents. Words are fold keys. :meth:`FullText.scores` gives a BM25 score per procedure for
weighted query words; the ranking reads it as a weaker field beside the names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from knowledge import textnorm
from knowledge.catalogue import Procedure

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

K1 = 1.2  # BM25 term-frequency saturation
B = 0.75  # BM25 length normalisation
NAME_REPEAT = 3  # the name counts as this many copies of itself
REQUIREMENTS_CHARS = 1500  # the start of the conditions that is indexed
DOCUMENTS = 12  # documents indexed per procedure
DOCUMENT_CHARS = 150  # characters indexed per document


def procedure_text(p: Procedure) -> str:
    """The text of ``p`` that the full-text index reads."""
    parts = [p.name] * NAME_REPEAT
    parts += list(p.keywords)
    parts += [p.subjects, p.result, p.requirements[:REQUIREMENTS_CHARS]]
    parts += [d[:DOCUMENT_CHARS] for d in p.documents[:DOCUMENTS]]
    return " ".join(parts)


class FullText:
    """A BM25 index of the procedures' texts, words as fold keys."""

    def __init__(self, procedures: Sequence[Procedure]) -> None:
        vocab: dict[str, int] = {}
        rows: list[dict[int, int]] = []
        lengths = np.zeros(len(procedures), dtype=np.float64)
        for i, p in enumerate(procedures):
            counts: dict[int, int] = {}
            words = textnorm.key(procedure_text(p)).split()
            lengths[i] = len(words)
            for w in words:
                wid = vocab.setdefault(w, len(vocab))
                counts[wid] = counts.get(wid, 0) + 1
            rows.append(counts)
        n_docs = max(1, len(procedures))
        avg = float(lengths.mean()) if len(procedures) else 1.0
        postings: list[list[tuple[int, int]]] = [[] for _ in vocab]
        for doc, counts in enumerate(rows):
            for wid, tf in counts.items():
                postings[wid].append((doc, tf))
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        docs: list[int] = []
        weights: list[float] = []
        for wid, post in enumerate(postings):
            idf = math.log(1.0 + (n_docs - len(post) + 0.5) / (len(post) + 0.5))
            for doc, tf in post:
                norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * lengths[doc] / avg))
                docs.append(doc)
                weights.append(idf * norm)
            indptr[wid + 1] = len(docs)
        self.vocab = vocab
        self.indptr = indptr
        self.docs: IntArray = np.asarray(docs, dtype=np.int32)
        self.weights: FloatArray = np.asarray(weights, dtype=np.float32).astype(np.float64)
        self.n_docs = len(procedures)

    def scores(self, words: Iterable[tuple[str, float]]) -> FloatArray:
        """BM25 per procedure for ``words`` as (fold key, weight); zeros when none is known."""
        ids: list[IntArray] = []
        w: list[FloatArray] = []
        for fold, weight in words:
            wid = self.vocab.get(fold)
            if wid is None or weight <= 0.0:
                continue
            lo, hi = int(self.indptr[wid]), int(self.indptr[wid + 1])
            ids.append(self.docs[lo:hi])
            w.append(self.weights[lo:hi] * weight)
        if not ids:
            return np.zeros(self.n_docs)
        out = np.bincount(np.concatenate(ids), weights=np.concatenate(w), minlength=self.n_docs)
        return out.astype(np.float64)
