"""Figures that bench/pingpong.c prints beside its table."""
import re


def c_extras(text):
    """The floor, the interleaved 8-byte figure and the one-way put / memcpy
    ratios from one run of bench/pingpong.c (None where absent)."""
    f = {}
    m = re.search(r"# floor .*: ([\d.]+) us", text)
    f["floor_us"] = float(m.group(1)) if m else None
    m = re.search(r"put \+ fence \+ flag: ([\d.]+) us", text)
    f["8B_interleaved_us"] = float(m.group(1)) if m else None
    for m in re.finditer(r"# (\d+) bytes put one way .*: ([\d.]+)", text):
        f[f"one-way put/memcpy {int(m.group(1)) >> 20}MiB"] = float(m.group(2))
    return f
