"""Run ``bench/eval_notes.py`` with the note grammar's weights replaced by a file's (issue #14).

    python bench/fit_note_grammar.py CORPORA --exclude-batch notes4 --weights-out /tmp/w.json
    python bench/eval_notes_with_weights.py /tmp/w.json --batch notes4 --part tuning

The leave-one-batch-out estimate: weights fitted without a batch, the detector run on that
batch's tuning part. Nothing in ``src`` changes; the module's constants are swapped in memory.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_notes
import revtrack.corrections.grammar as grammar


def main(argv: list[str]) -> int:
    fitted = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    grammar.WEIGHTS.clear()
    grammar.WEIGHTS.update({k: float(v) for k, v in fitted["weights"].items() if v})
    grammar.BIAS = float(fitted["bias"])
    return eval_notes.main(argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
