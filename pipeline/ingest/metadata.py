"""Metadata helpers: outlet from a URL, publication date from a header line or a URL date code."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import lru_cache
from urllib.parse import urlsplit

from pipeline.config import DATA_DIR


@lru_cache(maxsize=1)
def _outlets() -> dict:
    with open(DATA_DIR / "outlets.toml", "rb") as fh:
        data = tomllib.load(fh)
    data["url_dates"] = [re.compile(p) for p in data["url_dates"]]
    data["line_dates"] = [re.compile(p) for p in data["line_dates"]]
    return data


def outlet_of(url: str | None) -> str | None:
    """Host name without ``www.``; None when the URL has no host."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def _valid(y: str, m: str, d: str) -> str | None:
    year = int(y)
    if year < 100:
        year += 2000
    try:
        day = dt.date(year, int(m), int(d))
    except ValueError:
        return None
    if not (1990 <= day.year <= dt.date.today().year + 1):
        return None
    return day.isoformat()


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    path = urlsplit(url).path if "//" in url else url
    for pat in _outlets()["url_dates"]:
        for m in pat.finditer(path):
            g = m.groupdict()
            if g.get("d") is None:
                continue
            iso = _valid(g["y"], g["m"], g["d"])
            if iso:
                return iso
    return None


def date_from_line(line: str) -> str | None:
    """ISO date from a short header line that carries a numeric date, else None."""
    conf = _outlets()
    if len(line) > conf["max_line_chars"]:
        return None
    for pat in conf["line_dates"]:
        for m in pat.finditer(line):
            g = m.groupdict()
            month = g.get("m") or conf["months"].get((g.get("mon") or "").lower())
            if month is None:
                continue
            iso = _valid(g["y"], str(month), g["d"])
            if iso:
                return iso
    return None


def normalise_date(value: str | None) -> str | None:
    """An ISO date from a metadata value (ISO datetime, yyyy-mm-dd, dd/mm/yyyy), else None."""
    if not value:
        return None
    value = str(value).strip()
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        return _valid(*m.groups())
    return date_from_line(value[:80])
