"""The English figure and date readers on the hand-checked Recognizers-style case file
(tests/data/recognizers_en.jsonl, scripts/recognizers_rates.py): the issue's targets as floors."""
import importlib.util

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("recognizers_rates", ROOT / "scripts" / "recognizers_rates.py")
rr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rr)

TARGETS = {"number": 0.8, "date": 0.8, "currency": 0.85, "percentage": 0.9}


def test_rates_meet_the_targets():
    res = rr.rates()
    for cat, floor in TARGETS.items():
        assert res[cat]["cases"] >= 25, cat
        assert res[cat]["rate"] >= floor, (cat, res[cat]["failures"])


def test_a_case_is_right_only_with_the_expected_value_and_unit():
    assert rr.check({"category": "currency", "input": "It costs 10 $.", "value": 10, "unit": "USD"})[0]
    assert not rr.check({"category": "currency", "input": "It costs 10 $.", "value": 10, "unit": "EUR"})[0]
    assert not rr.check({"category": "number", "input": "12 and 500", "value": 12500, "unit": None})[0]
    assert rr.check({"category": "date", "input": "by 2025", "ref": "2025-09-24", "start": None, "end": "2025-12-31"})[0]
