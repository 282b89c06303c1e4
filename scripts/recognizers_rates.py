"""Rates of the English figure and date readers on a hand-checked case file in the spirit of
Microsoft Recognizers-Text's specifications (numbers, currencies, percentages, dates).

    python scripts/recognizers_rates.py [tests/data/recognizers_en.jsonl] [--failures]

The specifications themselves ship in no package this project can install (the PyPI and npm
packages of Recognizers-Text carry only the code), so ``tests/data/recognizers_en.jsonl`` holds
cases written and checked by hand, limited to the kinds of expression the README claims. One JSON
object per line:

* ``{"category": "number"|"currency"|"percentage", "input": ..., "value": ..., "unit": ...}``:
  right when the reader finds exactly one figure, with that value (and, for currencies and
  percentages, that unit: an ISO code or "%");
* ``{"category": "date", "input": ..., "ref": publication date, "start": ..., "end": ...}``:
  right when the first date mention resolves to that start and end (ISO, as the pipeline writes
  them: a deadline has no start, "from"/"after" is one day, a period its first and last day).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract.dates import find_dates  # noqa: E402
from pipeline.extract.figures import find_figures  # noqa: E402

CASES = ROOT / "tests" / "data" / "recognizers_en.jsonl"
CATEGORIES = ("number", "currency", "percentage", "date")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check(case: dict) -> tuple[bool, str]:
    """(right, what the reader gave) for one case."""
    if case["category"] == "date":
        ms = find_dates(case["input"], case["ref"])
        got = (ms[0].start_date, ms[0].end_date) if ms else None
        return got == (case["start"], case["end"]), repr(got)
    figs = find_figures(case["input"])
    got = [(f.value, f.unit) for f in figs]
    ok = len(figs) == 1 and _close(figs[0].value, case["value"]) and (
        case["category"] == "number" or figs[0].unit == case["unit"])
    return ok, repr(got)


def rates(path: str | Path = CASES) -> dict:
    """{category: {"right": n, "cases": n, "rate": r, "failures": [...]}}"""
    out = {c: {"right": 0, "cases": 0, "failures": []} for c in CATEGORIES}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        ok, got = check(case)
        r = out[case["category"]]
        r["cases"] += 1
        r["right"] += ok
        if not ok:
            r["failures"].append(f'{case["input"]!r}: got {got}')
    for r in out.values():
        r["rate"] = round(r["right"] / r["cases"], 3) if r["cases"] else None
    return out


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    res = rates(args[0] if args else CASES)
    for c in CATEGORIES:
        r = res[c]
        print(f'{c:<11} {r["right"]:>3}/{r["cases"]:<3} {r["rate"]}')
        if "--failures" in argv:
            for f in r["failures"]:
                print("    " + f)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
