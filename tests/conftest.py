import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpora" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The full pipeline run once over the seed corpus (outputs folder path)."""
    from pipeline.run import Settings, run

    out = tmp_path_factory.mktemp("seed-out")
    run(Settings(corpus=SEEDS, out=out, cache_dir=None))
    return out


def run_and_score(corpus, gold, out):
    """Run the whole pipeline on ``corpus`` into ``out`` (no cache) and score it against ``gold``."""
    from pipeline.evaluate import score
    from pipeline.run import Settings, run

    run(Settings(corpus=corpus, out=out, cache_dir=None))
    return score(gold, out)
