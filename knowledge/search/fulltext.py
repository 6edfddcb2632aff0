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

from collections import Counter
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
REQUIREMENTS_CHARS = 600  # the start of the conditions that is indexed
DOCUMENTS = 8  # documents indexed per procedure
DOCUMENT_CHARS = 100  # characters indexed per document


def procedure_text(p: Procedure) -> str:
    """The text of ``p`` that the full-text index reads (its name once: the index counts it
    :data:`NAME_REPEAT` times)."""
    parts = [p.name, *p.keywords]
    parts += [p.subjects, p.result, p.requirements[:REQUIREMENTS_CHARS]]
    parts += [d[:DOCUMENT_CHARS] for d in p.documents[:DOCUMENTS]]
    return " ".join(parts)


class FullText:
    """A BM25 index of the procedures' texts, words as fold keys."""

    def __init__(self, procedures: Sequence[Procedure]) -> None:
        vocab: dict[str, int] = {}
        doc_ids: list[int] = []
        word_ids: list[int] = []
        tfs: list[int] = []
        lengths = np.zeros(len(procedures), dtype=np.float64)
        key = textnorm.word_key
        for i, p in enumerate(procedures):
            counts = Counter(map(key, textnorm.words(procedure_text(p))))
            name = Counter(map(key, textnorm.words(p.name)))
            for w, n in name.items():  # the name weighs NAME_REPEAT copies of itself
                counts[w] += (NAME_REPEAT - 1) * n
            lengths[i] = counts.total()
            doc_ids.extend([i] * len(counts))
            word_ids.extend(vocab.setdefault(w, len(vocab)) for w in counts)
            tfs.extend(counts.values())
        n_docs = max(1, len(procedures))
        avg = float(lengths.mean()) if len(procedures) and lengths.any() else 1.0
        docs = np.asarray(doc_ids, dtype=np.int32)
        wids = np.asarray(word_ids, dtype=np.int64)
        tf = np.asarray(tfs, dtype=np.float64)
        df = np.bincount(wids, minlength=len(vocab)).astype(np.float64)
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * lengths[docs] / avg))
        order = np.argsort(wids, kind="stable")
        self.vocab = vocab
        self.indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        self.docs: IntArray = docs[order]
        self.weights: FloatArray = (idf[wids] * norm)[order].astype(np.float32).astype(np.float64)
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
