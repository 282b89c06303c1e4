"""commitments: multilingual news reports to structured data about government commitments."""

__version__ = "0.1.0"
# Bumped whenever a change alters what a stage outputs for the same input: it is part of every
# cache key, so a new version re-processes documents instead of serving stale cached results.
PIPELINE_VERSION = "0.1.0+1"


def code_fingerprint() -> str:
    """Hash of the package's code and data files: any change invalidates cached stage results."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import hashlib
        from pathlib import Path

        h = hashlib.sha256(PIPELINE_VERSION.encode())
        root = Path(__file__).parent
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".toml", ".tsv", ".txt", ".json", ".csv", ".yaml"):
                h.update(path.relative_to(root).as_posix().encode())
                h.update(path.read_bytes())
        _FINGERPRINT = h.hexdigest()[:16]
    return _FINGERPRINT


_FINGERPRINT: str | None = None
