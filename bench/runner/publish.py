"""bench/run --publish: the figures of one run where the README and the
docs show them.

- docs/img/bench_<plot>.png: the run's plots;
- docs/bench_results.inc: the run's tables and plots in reStructuredText,
  included by docs/benchmarks.rst;
- docs/bench_results.json: the run's results.json;
- README.md: the part between the two MARKERS, a short table of the
  figures the project watches and two of the plots.
"""
import pathlib
import shutil

from .report import _fmt, _header, _sig, _size, kernel_key, rst, variant_key

MARK_BEGIN = "<!-- bench/run --publish writes from here -->"
MARK_END = "<!-- bench/run --publish writes up to here -->"
# The PingPong sizes of the README's short table: latency, then bandwidth.
README_SIZES = [8, 1 << 10, 64 << 10, 1 << 20, 4 << 20, 16 << 20]
# The two plots the README shows, by preference.
README_PLOTS = ["pingpong_bandwidth.png", "kernels.png", "pingpong_latency.png"]


def img_name(plot):
    """The name under docs/img/ of one of the run's plots."""
    return "bench_" + plot


def readme_section(results, plots):
    """The README's part between the markers (markdown)."""
    lines = [f"Measured by `{results['options']['argv']}` on {results['started']}: "
             + _header(results), ""]
    pp = results.get("pingpong") or {}
    variants = [v for v in pp if v != "memcpy"]
    if variants:
        lines += ["PingPong, 2 PEs, one-way latency (us) / bandwidth (GB/s), best of "
                  f"{results['options']['reps']} repetitions:", "",
                  "| size | " + " | ".join(variants) + " | memcpy GB/s |",
                  "|---" * (len(variants) + 2) + "|"]
        for s in README_SIZES:
            if not any(s in pp[v]["sizes"] for v in variants):
                continue
            cells = []
            for v in variants:
                d = pp[v]
                i = d["sizes"].index(s) if s in d["sizes"] else None
                cells.append("-" if i is None else
                             f"{d['latency_us'][i]:.2f} / {d['bandwidth_GBps'][i]:.2f}")
            mc = pp.get("memcpy")
            mcv = mc["bandwidth_GBps"][mc["sizes"].index(s)] if mc and s in mc["sizes"] else None
            lines.append(f"| {_size(s)} | " + " | ".join(cells) + f" | {_fmt(mcv, 2)} |")
        lines.append("")
    ks = results.get("kernels") or []
    if ks:
        variants = sorted({e["variant"] for e in ks}, key=variant_key)
        lines += ["Kernels, rate (ratio to C on libshmem at the same PE count):", "",
                  "| kernel | PEs | unit | " + " | ".join(variants) + " |",
                  "|---" * (len(variants) + 3) + "|"]
        by = {(e["kernel"], e["npes"], e["variant"]): e for e in ks}
        for kernel, npes in sorted({(e["kernel"], e["npes"]) for e in ks},
                                   key=lambda x: (kernel_key(x[0]), x[1])):
            unit = next(e["unit"] for e in ks if e["kernel"] == kernel) or ""
            cells = []
            for v in variants:
                e = by.get((kernel, npes, v))
                cells.append("-" if e is None
                             else f"{_sig(e['rate'])} ({_fmt(e['ratio_to_c'], 2)})")
            lines.append(f"| {kernel} | {npes} | {unit} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["The targets the project watches, as ratios from that run:", "",
              "| target | ratio | wanted | met |", "|---|---|---|---|"]
    for t in results["targets"]:
        met = {True: "yes", False: "**missed**", None: f"not measured ({t['missing']})"
               if t["value"] is None else f"no verdict ({t['missing']})"}[t["met"]]
        detail = f" ({t['detail']})" if t.get("detail") else ""
        lines.append(f"| {t['name']}{detail} | {_fmt(t['value'])} | {t['op']} "
                     f"{_fmt(t['threshold'])} | {met} |")
    lines.append("")
    shown = [p for p in README_PLOTS if p in plots][:2]
    for p in shown:
        lines.append(f"![{p[:-4].replace('_', ' ')}](docs/img/{img_name(p)})")
    if shown:
        lines.append("")
    return "\n".join(lines)


def replace_between_markers(text, body):
    """TEXT with the part between MARK_BEGIN and MARK_END replaced by BODY;
    ValueError names what is missing."""
    start, end = text.find(MARK_BEGIN), text.find(MARK_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {MARK_BEGIN!r} ... {MARK_END!r} pair")
    return text[:start + len(MARK_BEGIN)] + "\n" + body.rstrip("\n") + "\n" + text[end:]


def docs_include(results, plots):
    """docs/bench_results.inc: the run's tables, then its plots."""
    lines = [rst(results)]
    for p in plots:
        lines += [f".. figure:: img/{img_name(p)}", "   :width: 100%", "",
                  f"   {p[:-4].replace('_', ' ')}", ""]
    return "\n".join(lines)


def publish(out_dir, results, root):
    """Copies the run in OUT_DIR into ROOT's docs/ and README.md; returns the
    paths written, relative to ROOT."""
    root = pathlib.Path(root)
    img = root / "docs" / "img"
    img.mkdir(parents=True, exist_ok=True)
    written = []
    plots = results.get("plots") or []
    for p in plots:
        shutil.copyfile(out_dir / p, img / img_name(p))
        written.append(f"docs/img/{img_name(p)}")
    shutil.copyfile(out_dir / "results.json", root / "docs" / "bench_results.json")
    (root / "docs" / "bench_results.inc").write_text(docs_include(results, plots))
    written += ["docs/bench_results.json", "docs/bench_results.inc"]
    readme = root / "README.md"
    readme.write_text(replace_between_markers(readme.read_text(),
                                              readme_section(results, plots)))
    written.append("README.md")
    return written
