#!/usr/bin/env python3
"""Benchmark the pipeline on generated corpora: throughput and peak memory, per stage and end to end.

    python scripts/bench.py --out outputs [--sizes 100,1000] [--mixes en,mixed] [--workers 0]
                            [--profile-runs en:100,mixed:1000] [--dask-sizes 1000] [--baseline PATH]

Default (``make bench``): 100 and 1,000 documents, English and mixed, the serial profile and bare
nlp.pipe on English 100: 11 min 15 s on a quiet 2-core machine (measured at 09fba30). The mixed 1,000 profile, the second
ratio gate, is ``--profile-runs en:100,mixed:1000`` (a serial 1,000-document run: about 10 minutes more).
10,000 documents (``--sizes 100,1000,10000``) and Dask (``--dask-sizes 1000``) are options.
``--baseline PATH`` (a checkout of another commit with its own .venv, e.g. a git worktree) runs that
commit's e2e on the same corpora in the same bench run, right after this one's, and records the
speed-up (``speedup_vs_baseline``: baseline seconds / these seconds) and both runs' load averages.

For each size N and each language mix (``en``: English only; ``mixed``: en/de/vi 6:2:2) a corpus
is generated with scripts/gen_corpus.py (fixed seed; kept under --work between runs) and measured:

* ``e2e``: the whole run (``pipeline.run.run``) in a fresh process with --workers W and a fresh
  cache, wall time from process start (interpreter, imports and model loads included), peak RSS
  (summed) and PSS of the process tree (parent + pool workers) sampled every 20 ms (PSS every
  200 ms), and the run's own stage
  clock (stage seconds are summed over workers, so they are CPU-ish seconds per stage).
* ``warm``: the same command again over the warm cache (nothing changed): the re-run time.
* ``profile``: a serial run (one process) attributing time *and* peak RSS to the stage running
  at each sample: ingest, language, segment, translate, extract, summarize (dedup, per document),
  cluster (dedup, whole corpus), meetings (merge: meeting view and tracking), write. Sizes in --profile-sizes only (it is a second full run).
* ``bare``: spaCy's own ``nlp.pipe`` over exactly the English texts the extractor parses (titles
  + English side of every sentence) with the same model and the same components (none is
  disabled by the pipeline) -- the ratio ``profile total / bare`` is the pipeline's overhead
  over its NER model, both single-process, measured in the same bench run.
* ``dask``: for sizes in --dask-sizes, the e2e run on a LocalCluster (W single-thread worker
  processes), and whether its outputs are byte-identical to the local engine's.
* ``nmt``: CTranslate2 int8 vs transformers (MarianMT) on the same source sentences, per
  language with both kinds under models/; otherwise "no NMT models installed", or with
  --nmt-synthetic the same comparison on random-weight models of OPUS-MT dimensions
  (scripts/synthetic_marian.py), both backends forced to decode exactly 48 tokens per sentence,
  at the engines' default threads and at 1 and 2 threads (labelled "weights": "random ...").

Writes OUT/bench.json (everything) and OUT/bench.md (the tables); prints the tables.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MIXES = {"en": "en", "mixed": "en=6,de=2,vi=2"}
OUTPUT_FILES = ("documents.jsonl", "commitments.jsonl", "clusters.jsonl", "meetings.jsonl", "tracking.jsonl")
SAMPLE_S = 0.02


# ------------------------------------------------------------------------------ memory sampling
class TreeSampler(threading.Thread):
    """Peak RSS (bytes) of a process and all its descendants, sampled in the background, and peak
    PSS (every PSS_EVERY samples, from /proc/PID/smaps_rollup where the kernel has it): the RSS sum
    counts pages that forked workers share with their parent once per process; PSS splits them, so
    it is the memory the run really takes (RSS sum is the conservative upper bound).

    ``stage_of`` (optional) names the stage running at each sample: peaks are kept per stage.
    """

    PSS_EVERY = 10

    def __init__(self, pid: int, stage_of=None):
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.stage_of = stage_of
        self.peak = 0
        self.peak_pss = 0
        self._ticks = 0
        self.per_stage: dict[str, int] = {}
        self._halt = threading.Event()

    def _total(self, measure) -> int:
        """``measure(process)`` summed over the process and its descendants (0 for any that vanished)."""
        import psutil

        try:
            procs = [self.proc] + self.proc.children(recursive=True)
        except psutil.Error:
            return 0
        total = 0
        for p in procs:
            try:
                total += measure(p)
            except (psutil.Error, OSError, StopIteration, ValueError):
                pass
        return total

    def rss(self) -> int:
        return self._total(lambda p: p.memory_info().rss)

    def pss(self) -> int:
        def pss_of(p) -> int:
            with open(f"/proc/{p.pid}/smaps_rollup") as fh:
                return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("Pss:"))

        return self._total(pss_of)

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(SAMPLE_S)

    def sample(self) -> None:
        r = self.rss()
        self.peak = max(self.peak, r)
        self._ticks += 1
        if self._ticks % self.PSS_EVERY == 1:
            self.peak_pss = max(self.peak_pss, self.pss())
        if self.stage_of is not None:
            st = self.stage_of()
            self.per_stage[st] = max(self.per_stage.get(st, 0), r)

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()


# ------------------------------------------------------------------------------ child processes
def child_main(argv: list[str]) -> None:
    """Runs inside a fresh interpreter: one measured pipeline run, JSON on stdout's last line."""
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["run", "profile", "bare", "nmt"])
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--engine", default="local")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--models", type=Path, default=ROOT / "models")
    ap.add_argument("--synthetic", action="store_true", help="nmt: random-weight OPUS-MT-sized models if none installed")
    ap.add_argument("--nmt-langs", default="de,vi")
    ap.add_argument("--nmt-sentences", type=int, default=200)
    ap.add_argument("--nmt-length", type=int, default=48, help="nmt --synthetic: tokens decoded per sentence")
    a = ap.parse_args(argv)
    t_start = time.perf_counter()
    if a.mode == "run":
        from pipeline.config import BATCH_SIZE
        from pipeline.run import Settings, run

        timings: dict = {}
        info = run(Settings(corpus=a.corpus, out=a.out, cache_dir=a.cache, workers=a.workers, engine=a.engine,
                            batch_size=a.batch_size or BATCH_SIZE, timings=timings, models_dir=a.models))
        res = {"run_seconds": info.seconds, "documents": info.documents, "ok": info.ok,
               "statements": info.statements, "clusters": info.clusters, "cache_hits": info.cache_hits,
               "languages": info.languages, "timings": timings}
    elif a.mode == "profile":
        res = _profile(a)
    elif a.mode == "bare":
        res = _bare(a)
    else:
        res = _nmt(a)
    res["child_seconds"] = time.perf_counter() - t_start
    print("\n" + json.dumps(res))


def _profile(a) -> dict:
    from pipeline import run as runmod
    from pipeline.config import BATCH_SIZE

    timings: dict = {}
    sampler = TreeSampler(os.getpid(), stage_of=runmod.current_stage)
    sampler.start()
    info = runmod.run(runmod.Settings(corpus=a.corpus, out=a.out, cache_dir=None, workers=1,
                                      batch_size=a.batch_size or BATCH_SIZE, timings=timings, models_dir=a.models))
    sampler.stop()
    return {"run_seconds": info.seconds, "documents": info.documents, "ok": info.ok, "timings": timings,
            "peak_rss": sampler.peak, "stage_peak_rss": sampler.per_stage}


def _english_texts(corpus: Path, models: Path) -> list[str]:
    """Exactly what the extractor hands to nlp.pipe: per ok document its title, then every sentence's English."""
    from pipeline.ingest import iter_documents
    from pipeline.lang import identify
    from pipeline.run import Settings, _with_translation
    from pipeline.segment import split_sentences
    from pipeline.translate import translate_document

    settings = Settings(corpus=corpus, out=corpus, cache_dir=None, models_dir=models)
    texts: list[str] = []
    for doc in iter_documents(corpus):
        doc = identify(doc)
        if doc.status != "ok":
            continue
        sentences = translate_document(doc, split_sentences(doc.text, doc.lang or "en"), settings)
        doc = _with_translation(doc, sentences)
        texts.append(doc.title or "")
        texts.extend(s.english for s in sentences)
    return texts


def _bare(a) -> dict:
    import spacy

    from pipeline.config import EXTRACT_PIPE_BATCH, EXTRACT_SPACY_MODEL

    texts = _english_texts(a.corpus, a.models)
    t = time.perf_counter()
    nlp = spacy.load(EXTRACT_SPACY_MODEL)  # the pipeline disables no component (pipeline/extract/nlp.py)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    n_tokens = sum(len(d) for d in nlp.pipe(texts, batch_size=EXTRACT_PIPE_BATCH))
    pipe_s = time.perf_counter() - t
    from pipeline.extract.nlp import get_nlp

    ours = get_nlp()
    t = time.perf_counter()
    for _ in ours.pipe(texts, batch_size=EXTRACT_PIPE_BATCH):
        pass
    ruler_s = time.perf_counter() - t
    return {"texts": len(texts), "distinct_texts": len(set(texts)), "tokens": n_tokens, "chars": sum(map(len, texts)), "load_seconds": load_s,
            "pipe_seconds": pipe_s, "pipe_with_gazetteer_seconds": ruler_s, "components": list(nlp.pipe_names),
            "model": EXTRACT_SPACY_MODEL}


def _nmt_sentences(corpus: Path | None, lang: str, n: int) -> list[str]:
    """Up to ``n`` unique source sentences in ``lang``: from ``corpus`` (when given), then tests/fixtures."""
    from pipeline.ingest import iter_documents
    from pipeline.lang import identify
    from pipeline.segment import split_sentences

    sents: list[str] = []
    folders = ([corpus] if corpus else []) + [ROOT / "tests" / "fixtures"]
    for folder in folders:
        for doc in iter_documents(folder):
            doc = identify(doc)
            if doc.status == "ok" and doc.lang == lang:
                sents.extend(s for s in (doc.text[x:y].strip() for x, y in split_sentences(doc.text, lang)) if s)
            if len(set(sents)) >= n:
                break
        if len(set(sents)) >= n:
            break
    return list(dict.fromkeys(sents))[:n]


def _nmt(a) -> dict:
    """CTranslate2 int8 vs transformers on the same sentences, per language with both model kinds.

    With no such pair under --models and ``--synthetic``: the same comparison on random-weight models
    of OPUS-MT dimensions built here (see _nmt_synthetic).
    """
    from pipeline.translate import select

    installed = [m for m in select.scan(a.models) if m.kind and not m.problem and m.lang]
    by_lang: dict[str, dict[str, Path]] = {}
    for m in installed:
        by_lang.setdefault(m.lang, {}).setdefault(m.kind, m.path)
    pairs = {lang: kinds for lang, kinds in by_lang.items() if {"ctranslate2", "marian"} <= set(kinds)}
    if not pairs:
        note = ("no NMT models installed" if not installed else
                "no language has both a CTranslate2 and a MarianMT model under models/")
        if a.synthetic:
            return {"note": note, **_nmt_synthetic(a)}
        return {"note": note + " (--nmt-synthetic measures random-weight models of OPUS-MT dimensions)",
                "installed": [f"{m.path.name} ({m.kind}, {m.lang})" for m in installed]}
    from pipeline.translate.ct2 import CT2Engine
    from pipeline.translate.marian import MarianEngine

    out = {}
    for lang, kinds in sorted(pairs.items()):
        sents = _nmt_sentences(a.corpus, lang, 300)
        row = {"sentences": len(sents)}
        for kind, cls in (("ctranslate2", CT2Engine), ("marian", MarianEngine)):
            engine = cls(kinds[kind], lang)
            engine.translate(sents[:2])  # warm-up
            t = time.perf_counter()
            engine.translate(sents)
            sec = time.perf_counter() - t
            row[kind] = {"model": kinds[kind].name, "seconds": sec, "sentences_per_s": len(sents) / sec if sec else None}
        if row["marian"]["seconds"]:
            row["ct2_speedup"] = row["marian"]["seconds"] / row["ctranslate2"]["seconds"]
        out[lang] = row
    return {"languages": out}


NMT_SYNTHETIC_TIMED = (
    "Per backend, the wall time of the decoding calls the engines make, over the same batches: the "
    "sentences sorted by source-token count (as NMTEngine.translate does) in batches of NMT_BATCH_SIZE; "
    "transformers: MarianEngine's tokenizer(...) + model.generate(num_beams=1, do_sample=False, "
    "min_new_tokens=L, max_new_tokens=L) under torch.inference_mode, fp32; CTranslate2: CT2Engine's "
    "SentencePiece encode + translator.translate_batch(beam_size=1, max_batch_size=NMT_BATCH_SIZE, "
    "min_decoding_length=L, max_decoding_length=L), int8. Both decode exactly L tokens per sentence "
    "(checked). Engines loaded through MarianEngine / CT2Engine; one warm-up call each; model load, "
    "build and detokenisation not timed.")


def _nmt_synthetic(a) -> dict:
    """transformers fp32 vs CTranslate2 int8 on random-weight models of OPUS-MT dimensions, forced length.

    Speed depends on the architecture and on how many tokens are decoded, not on the weights; random
    weights stop at arbitrary lengths, so both backends are made to decode exactly ``--nmt-length``
    tokens per sentence, greedy, same batches (NMT_SYNTHETIC_TIMED says exactly what is timed).
    Thread settings: the engines' own (torch's default, CTranslate2 NMT_CT2_THREADS), then 1 and 2.
    """
    import tempfile

    import torch

    sys.path.insert(0, str(ROOT / "scripts"))
    from synthetic_marian import OPUS_MT, WEIGHTS_LABEL, build, forced_length_generate, forced_length_translate

    from pipeline.config import NMT_BATCH_SIZE, NMT_CT2_THREADS
    from pipeline.translate.ct2 import CT2Engine
    from pipeline.translate.marian import MarianEngine

    length = a.nmt_length
    torch_default = torch.get_num_threads()
    configs = [("engine default", torch_default, NMT_CT2_THREADS), ("1 thread", 1, 1), ("2 threads", 2, 2)]
    res: dict = {"weights": WEIGHTS_LABEL, "dimensions": OPUS_MT, "forced_length": length, "beam_size": 1,
                 "batch_size": NMT_BATCH_SIZE, "timed": NMT_SYNTHETIC_TIMED, "torch_default_threads": torch_default,
                 "ct2_default_threads": NMT_CT2_THREADS, "load_avg_at_start": os.getloadavg(), "languages": {}}

    def timed(runs: dict, batches: list[list[str]], expect_tokens: int) -> dict:
        """{name: seconds, sentences/s, tokens/s} for each name -> (fn, engine, torch threads) in ``runs``.

        The backends alternate batch by batch, so a change in the machine's load (it is shared)
        falls on both alike rather than on whichever ran second.
        """
        secs = dict.fromkeys(runs, 0.0)
        tokens = dict.fromkeys(runs, 0)
        for fn, engine, threads in runs.values():
            torch.set_num_threads(threads)
            fn(engine, batches[0][:2], 4)  # warm-up
        for b in batches:
            for name, (fn, engine, threads) in runs.items():
                torch.set_num_threads(threads)
                t = time.perf_counter()
                tokens[name] += sum(len(o) for o in fn(engine, b, length))
                secs[name] += time.perf_counter() - t
        n = sum(map(len, batches))
        for name in runs:
            if tokens[name] != expect_tokens:
                raise RuntimeError(f"{name} decoded {tokens[name]} tokens, expected {expect_tokens}")
        return {name: {"seconds": secs[name], "sentences_per_s": n / secs[name], "tokens_per_s": tokens[name] / secs[name]}
                for name in runs}

    with tempfile.TemporaryDirectory(prefix="nmt-synthetic-") as tmp:
        for lang in [x for x in a.nmt_langs.split(",") if x]:
            sents = _nmt_sentences(a.corpus, lang, a.nmt_sentences)
            if not sents:
                continue
            built = build(Path(tmp) / lang, lang, seed=0)
            marian = MarianEngine(built["marian"], lang)
            ct2 = {t: CT2Engine(built["ctranslate2"], lang, threads=t) for t in {c[2] for c in configs}}
            src = next(iter(ct2.values()))._src
            order = sorted(sents, key=lambda s: (len(src.encode(s)), s))
            batches = [order[i:i + NMT_BATCH_SIZE] for i in range(0, len(order), NMT_BATCH_SIZE)]
            expect = length * len(sents)
            row: dict = {"sentences": len(sents), "source_tokens_mean": sum(len(src.encode(s)) for s in sents) / len(sents),
                         "parameters": built["info"]["parameters"], "vocab_size": built["info"]["vocab_size"],
                         "trained_pieces": built["info"]["trained_pieces"], "build_seconds": built["build_seconds"],
                         "convert_seconds": built["convert_seconds"], "threads": {}}
            seen_marian: dict[int, dict] = {}
            seen_ct2: dict[int, dict] = {}
            for label, tt, ct in configs:
                runs = {}
                if tt not in seen_marian:
                    runs["marian"] = (forced_length_generate, marian, tt)
                if ct not in seen_ct2:
                    runs["ctranslate2"] = (forced_length_translate, ct2[ct], torch_default)
                if runs:
                    got = timed(runs, batches, expect)
                    seen_marian.setdefault(tt, got.get("marian"))
                    seen_ct2.setdefault(ct, got.get("ctranslate2"))
                m, c = seen_marian[tt], seen_ct2[ct]
                row["threads"][label] = {"torch_threads": tt, "ct2_threads": ct, "marian": m, "ctranslate2": c,
                                         "ct2_speedup": m["seconds"] / c["seconds"]}
                print(f"  nmt synthetic {lang} {label}: transformers {m['sentences_per_s']:.1f}/s, "
                      f"CTranslate2 {c['sentences_per_s']:.1f}/s (x{m['seconds'] / c['seconds']:.1f})",
                      file=sys.stderr, flush=True)
            torch.set_num_threads(torch_default)
            row.update({k: row["threads"]["engine default"][k] for k in ("marian", "ctranslate2", "ct2_speedup")})
            res["languages"][lang] = row
            del marian, ct2
    res["load_avg_at_end"] = os.getloadavg()
    return res


def spawn(args: list[str], env: dict | None = None, root: Path | None = None) -> dict:
    """Run this script's child mode in a fresh interpreter; wall time and peak tree RSS measured here.
    ``root``: another checkout (its .venv's interpreter and its own scripts/bench.py), for --baseline."""
    if root is None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "_child", *args]
    else:
        python = root / ".venv" / "bin" / "python"
        cmd = [str(python if python.exists() else sys.executable), str(root / "scripts" / "bench.py"), "_child", *args]
    load = os.getloadavg()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root or ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t
    sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"bench child failed ({' '.join(args[:1])}): {stderr[-3000:]}")
    res = json.loads(stdout.strip().splitlines()[-1])
    res["wall_seconds"] = wall
    res["load_avg"] = [load[0], os.getloadavg()[0]]  # 1-minute load average at start and end (shared machine)
    res["peak_rss_tree"] = sampler.peak
    res["peak_pss_tree"] = sampler.peak_pss or None
    return res


# ------------------------------------------------------------------------------ orchestration
def ensure_corpus(work: Path, mix: str, n: int, seed: int) -> Path:
    folder = work / f"corpus-{mix}-{n}-s{seed}"
    stamp = folder / ".params"
    params = json.dumps({"n": n, "langs": MIXES[mix], "seed": seed,
                         "gen": hashlib.sha256((ROOT / "scripts" / "gen_corpus.py").read_bytes()).hexdigest()})
    if stamp.exists() and stamp.read_text() == params:
        return folder
    from importlib.util import module_from_spec, spec_from_file_location

    spec = spec_from_file_location("gen_corpus", ROOT / "scripts" / "gen_corpus.py")
    mod = module_from_spec(spec)
    sys.modules["gen_corpus"] = mod
    spec.loader.exec_module(mod)
    mod.generate(n, folder, seed=seed, langs=MIXES[mix])
    stamp.write_text(params)
    return folder


def same_outputs(a: Path, b: Path) -> bool:
    return all((a / f).exists() == (b / f).exists() and (not (a / f).exists() or
               (a / f).read_bytes() == (b / f).read_bytes()) for f in OUTPUT_FILES)


def startup_seconds() -> float:
    """Interpreter start + importing the CLI and the runner (what every run pays before work)."""
    best = None
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pipeline.cli, pipeline.run"], cwd=ROOT, check=True)
        s = time.perf_counter() - t
        best = s if best is None else min(best, s)
    return best


def mb(x: float | int | None) -> float | None:
    return round(x / 2**20, 1) if x else None


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        child_main(argv[1:])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "outputs", help="where bench.json / bench.md go")
    ap.add_argument("--sizes", default="100,1000", help="corpus sizes (documents), comma-separated (10000: ~1 h more)")
    ap.add_argument("--mixes", default="en,mixed", help="language mixes: en, mixed")
    ap.add_argument("--mixed-sizes", default=None,
                    help="sizes for the mixed mix (default: --sizes), e.g. 1000 to skip the mixed 10,000 run")
    ap.add_argument("--workers", type=int, default=0, help="workers for the e2e runs (0 = one per core)")
    ap.add_argument("--profile-sizes", default=None,
                    help="sizes that also get the serial per-stage profile and bare nlp.pipe, in every mix "
                         "(a second and third full run; default: --profile-runs)")
    ap.add_argument("--profile-runs", default="en:100",
                    help="mix:size pairs that get the profile and bare nlp.pipe (the issue's gates)")
    ap.add_argument("--dask-sizes", default="", help="sizes that also run on a Dask LocalCluster (e.g. 1000)")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="checkout of another commit (with its .venv): its e2e on the same corpora, same run")
    ap.add_argument("--baseline-runs", default="mixed:1000",
                    help="mix:size pairs the baseline runs (default: the issue's 1,000 mixed documents)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=ROOT / ".bench", help="generated corpora and run folders")
    ap.add_argument("--models", type=Path, default=ROOT / "models")
    ap.add_argument("--nmt-synthetic", action="store_true",
                    help="no NMT models installed: compare the backends on random-weight models of OPUS-MT "
                         "dimensions built in a temp folder (forced output length; ~4 min for de+vi on 2 cores)")
    args = ap.parse_args(argv)

    from pipeline.config import resolve_workers

    sizes = [int(s) for s in args.sizes.split(",") if s]
    mixes = [m for m in args.mixes.split(",") if m]
    if args.profile_sizes is not None:
        profile_runs = {(m, int(s)) for s in args.profile_sizes.split(",") if s for m in mixes}
    else:
        profile_runs = {(p.split(":")[0], int(p.split(":")[1])) for p in args.profile_runs.split(",") if p}
    baseline_runs = {(p.split(":")[0], int(p.split(":")[1])) for p in args.baseline_runs.split(",") if p} \
        if args.baseline else set()
    dask_sizes = {int(s) for s in args.dask_sizes.split(",") if s}
    workers = resolve_workers(args.workers)
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    import psutil

    report: dict = {
        "machine": {"cores": os.cpu_count(), "usable_cores": resolve_workers(0), "python": platform.python_version(),
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "load_avg_at_start": os.getloadavg()},
        "git": _git_head(), "workers": workers, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "startup_seconds": startup_seconds(), "runs": []}
    print(f"cores {report['machine']['cores']}, workers {workers}, start-up {report['startup_seconds']:.2f}s",
          flush=True)
    mixed_sizes = sizes if args.mixed_sizes is None else [int(s) for s in args.mixed_sizes.split(",") if s]
    for n in sorted(set(sizes) | (set(mixed_sizes) if "mixed" in mixes else set())):
        for mix in mixes:
            if n not in (mixed_sizes if mix == "mixed" else sizes):
                continue
            corpus = ensure_corpus(args.work, mix, n, args.seed)
            base = args.work / f"run-{mix}-{n}"
            row: dict = {"size": n, "mix": mix, "corpus": str(corpus)}
            cache = base / "cache"
            if cache.exists():
                import shutil

                shutil.rmtree(cache)
            common = ["--corpus", str(corpus), "--models", str(args.models)]
            row["e2e"] = spawn(["run", *common, "--out", str(base / "local"), "--cache", str(cache),
                                "--workers", str(workers)])
            _say(n, mix, "e2e", row["e2e"])
            row["warm"] = spawn(["run", *common, "--out", str(base / "warm"), "--cache", str(cache),
                                 "--workers", str(workers)])
            row["warm"]["identical_to_cold"] = same_outputs(base / "local", base / "warm")
            _say(n, mix, "warm", row["warm"])
            if (mix, n) in baseline_runs:
                bcache = base / "baseline-cache"
                if bcache.exists():
                    import shutil

                    shutil.rmtree(bcache)
                row["baseline"] = spawn(["run", *common, "--out", str(base / "baseline"), "--cache", str(bcache),
                                         "--workers", str(workers)], root=args.baseline.resolve())
                row["baseline"]["checkout"] = str(args.baseline)
                row["baseline"]["git"] = _git_head(args.baseline.resolve())
                row["speedup_vs_baseline"] = row["baseline"]["wall_seconds"] / row["e2e"]["wall_seconds"]
                _say(n, mix, "base", row["baseline"])
                print(f"  e2e vs baseline {row['baseline']['git']}: x{row['speedup_vs_baseline']:.2f} docs/s", flush=True)
            if (mix, n) in profile_runs:
                row["profile"] = spawn(["profile", *common, "--out", str(base / "serial")])
                row["profile"]["identical_to_e2e"] = same_outputs(base / "local", base / "serial")
                _say(n, mix, "profile", row["profile"])
                row["bare"] = spawn(["bare", *common])
                row["bare"]["ratio_pipeline_to_bare"] = row["profile"]["run_seconds"] / row["bare"]["pipe_seconds"]
                print(f"  bare nlp.pipe {row['bare']['pipe_seconds']:.1f}s over {row['bare']['texts']} texts; "
                      f"pipeline/bare = {row['bare']['ratio_pipeline_to_bare']:.2f}", flush=True)
            if n in dask_sizes:
                row["dask"] = spawn(["run", *common, "--out", str(base / "dask"), "--engine", "dask",
                                     "--workers", str(workers)])
                row["dask"]["identical_to_local"] = same_outputs(base / "local", base / "dask")
                _say(n, mix, "dask", row["dask"])
            report["runs"].append(row)
            _write(args.out, report)
    mixed = [r for r in report["runs"] if r["mix"] == "mixed"] or report["runs"]
    if mixed:
        report["nmt"] = spawn(["nmt", "--corpus", mixed[0]["corpus"], "--models", str(args.models)]
                              + (["--synthetic"] if args.nmt_synthetic else []))
        report["nmt"].pop("peak_rss_tree", None)
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    _write(args.out, report)
    print((args.out / "bench.md").read_text())


def _say(n: int, mix: str, what: str, r: dict) -> None:
    print(f"{mix:>5} {n:>6} {what:>7}: {r['wall_seconds']:7.1f}s wall, {r.get('documents', n) / r['wall_seconds']:7.1f} "
          f"docs/s, peak {mb(r.get('peak_rss') or r['peak_rss_tree'])} MB", flush=True)


def _git_head(root: Path = ROOT) -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


STAGES = ("ingest", "language", "segment", "translate", "extract", "summarize", "cluster", "meetings", "write")


def tables(report: dict) -> str:
    lines = [f"# Benchmark ({report['machine']['cores']} cores, workers {report['workers']}, git {report['git']}, "
             f"start-up {report['startup_seconds']:.2f}s)", ""]
    lines += ["## End to end (fresh process, cold cache) and warm re-run", "",
              "| corpus | docs | e2e s | docs/s | peak RSS MB (tree) | peak PSS MB (tree) | warm re-run s | "
              "warm - start-up s | warm identical | dask docs/s | dask identical |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for r in report["runs"]:
        e, w, d = r["e2e"], r["warm"], r.get("dask")
        lines.append(f"| {r['mix']} | {r['size']} | {e['wall_seconds']:.1f} | {e['documents'] / e['wall_seconds']:.1f} | "
                     f"{mb(e['peak_rss_tree'])} | {mb(e.get('peak_pss_tree'))} | {w['wall_seconds']:.2f} | {w['wall_seconds'] - report['startup_seconds']:.2f} | "
                     f"{w['identical_to_cold']} | "
                     + (f"{d['documents'] / d['wall_seconds']:.1f} | {d['identical_to_local']} |" if d else "- | - |"))
    lines += ["", "## Per stage (serial profile: one process; docs/s = documents / stage seconds; peak RSS while "
              "the stage ran)", "",
              "| corpus | docs | " + " | ".join(STAGES) + " | total s | pipeline / bare nlp.pipe |",
              "|---|---:|" + "---:|" * (len(STAGES) + 2)]
    for r in report["runs"]:
        p = r.get("profile")
        if not p:
            continue
        st, mem = p["timings"]["stages"], p["stage_peak_rss"]
        cells = []
        for s in STAGES:
            sec = st.get(s, 0.0) + (st.get("serialize", 0.0) + st.get("collect", 0.0) if s == "write" else 0.0)
            rate = f"{p['documents'] / sec:.0f}/s" if sec else "-"
            cells.append(f"{rate}, {mb(mem.get(s))} MB")
        ratio = r.get("bare", {}).get("ratio_pipeline_to_bare")
        lines.append(f"| {r['mix']} | {r['size']} | " + " | ".join(cells) + f" | {p['run_seconds']:.1f} | "
                     + (f"{ratio:.2f} |" if ratio else "- |"))
    based = [r for r in report["runs"] if r.get("baseline")]
    if based:
        lines += ["", "## End to end against the baseline (same corpora, same bench run, one after the other)", "",
                  "| corpus | docs | this s | baseline s | baseline git | speed-up | 1-min load (this; baseline) |",
                  "|---|---:|---:|---:|---|---:|---|"]
        for r in based:
            e, b = r["e2e"], r["baseline"]
            lines.append(f"| {r['mix']} | {r['size']} | {e['wall_seconds']:.1f} | {b['wall_seconds']:.1f} | {b.get('git')} | "
                         f"x{r['speedup_vs_baseline']:.2f} | {_loads(e)}; {_loads(b)} |")
    profiled = [r for r in report["runs"] if r.get("profile", {}).get("timings", {}).get("embeddings")]
    if profiled:
        lines += ["", "## Embeddings in the serial profile (pipeline/embed.py counters, per purpose)", ""]
        for r in profiled:
            for purpose, st in r["profile"]["timings"]["embeddings"].items():
                lines.append(f"- {r['mix']} {r['size']}, {purpose}: " + ", ".join(f"{k} {v}" for k, v in st.items()))
    lines += ["", "## Stage seconds in the e2e runs (summed over workers)", "",
              "| corpus | docs | " + " | ".join(STAGES) + " | cache |", "|---|---:|" + "---:|" * (len(STAGES) + 1)]
    for r in report["runs"]:
        st = r["e2e"]["timings"].get("stages", {})
        lines.append(f"| {r['mix']} | {r['size']} | " + " | ".join(f"{st.get(s, 0):.1f}" for s in STAGES)
                     + f" | {st.get('cache', 0):.1f} |")
    nmt = report.get("nmt")
    if nmt:
        lines += ["", "## NMT: CTranslate2 int8 vs transformers", ""]
        if nmt.get("weights"):
            lines += [f"Weights: {nmt['weights']} ({nmt['note']}); greedy, batch {nmt['batch_size']}, exactly "
                      f"{nmt['forced_length']} tokens decoded per sentence by both backends. {nmt['timed']} "
                      f"1-min load average {nmt['load_avg_at_start'][0]:.1f} at start, "
                      f"{nmt.get('load_avg_at_end', [0])[0]:.1f} at end.", ""]
        if "languages" in nmt:
            for lang, row in nmt["languages"].items():
                lines.append(f"- {lang}: {row['sentences']} sentences: CTranslate2 {row['ctranslate2']['sentences_per_s']:.1f}/s, "
                             f"transformers {row['marian']['sentences_per_s']:.1f}/s (x{row.get('ct2_speedup', 0):.1f})")
                for label, r in row.get("threads", {}).items():
                    lines.append(f"  - {label} (torch {r['torch_threads']}, CTranslate2 {r['ct2_threads'] or 'default'}): "
                                 f"CTranslate2 {r['ctranslate2']['sentences_per_s']:.1f}/s, transformers "
                                 f"{r['marian']['sentences_per_s']:.1f}/s (x{r['ct2_speedup']:.1f})")
        else:
            lines.append(f"- {nmt['note']}")
    return "\n".join(lines) + "\n"


def _loads(r: dict) -> str:
    la = r.get("load_avg")
    return f"{la[0]:.1f} -> {la[1]:.1f}" if la else "-"


def _write(out: Path, report: dict) -> None:
    (out / "bench.json").write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    (out / "bench.md").write_text(tables(report), encoding="utf-8")


if __name__ == "__main__":
    main()
