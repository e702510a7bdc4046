"""results.json, results.md and the PNG plots."""
import json

from .kernels import KERNELS

PLOTS = {"pingpong_bandwidth.png": "PingPong bandwidth against size, memcpy as the ceiling",
         "pingpong_latency.png": "PingPong one-way latency, 8 B to 64 KiB",
         "kernels.png": "Kernel rates per variant and PE count",
         "ratios.png": "Python / C: kernel rates and PingPong bandwidth"}


# The variants grouped as the shmem4py paper's figures group them: by
# language, and within one language OpenSHMEM beside MPI.
VARIANT_ORDER = ["c-shmem", "c-mpi", "c-oshmem", "py-shmem", "py-mpi", "py-shmem4py1",
                 "numba-shmem", "numba-mpi", "njit-shmem"]


def variant_key(v):
    """Sort key putting variants in VARIANT_ORDER (unknown ones last)."""
    return (VARIANT_ORDER.index(v) if v in VARIANT_ORDER else len(VARIANT_ORDER), v)


def kernel_key(k):
    """Sort key putting kernels in the order of kernels.KERNELS."""
    return (KERNELS.index(k) if k in KERNELS else len(KERNELS), k)


def _group(v):
    return "njit" if v.startswith("njit") else v.split("-")[0]


def _fmt(x, nd=3):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}" if abs(x) < 1e5 else f"{x:.4g}"
    return str(x)


def _sig(x):
    # Rates span GUP/s (0.001) to MB/s (1e5): four significant digits.
    return "-" if x is None else f"{x:.4g}"


def _size(n):
    for unit, shift in (("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift and n % (1 << shift) == 0:
            return f"{n >> shift} {unit}"
    return f"{n} B"


def write_json(path, results):
    """Everything measured, with the machine and the versions."""
    path.write_text(json.dumps(results, indent=1) + "\n")


def tables(results):
    """The tables of one run as (title, header, rows) of strings."""
    out = []
    pp = results.get("pingpong") or {}
    variants = [k for k in pp if k != "memcpy"]
    if variants:
        rows = []
        for s in sorted({s for d in pp.values() for s in d["sizes"]}):
            cells = []
            for var in variants:
                d = pp[var]
                i = d["sizes"].index(s) if s in d["sizes"] else None
                cells.append("-" if i is None else
                             f"{d['latency_us'][i]:.3f} / {d['bandwidth_GBps'][i]:.2f}")
            mc = pp.get("memcpy")
            mcv = mc["bandwidth_GBps"][mc["sizes"].index(s)] if mc and s in mc["sizes"] else None
            rows.append([_size(s), *cells, _fmt(mcv, 2)])
        out.append(("PingPong, 2 PEs: one-way latency (us) / bandwidth (GB/s)",
                    ["size", *variants, "memcpy GB/s"], rows))
    ks = sorted(results.get("kernels") or [],
                key=lambda e: (kernel_key(e["kernel"]), variant_key(e["variant"]), e["npes"]))
    if ks:
        out.append(("Kernels: best rate of the rounds",
                    ["kernel", "variant", "PEs", "args", "rate", "unit", "per PE", "/ C",
                     "per PE / 2 PEs"],
                    [[e["kernel"], e["variant"], str(e["npes"]), ",".join(e["args"]),
                      _sig(e["rate"]), e["unit"] or "", _sig(e["rate_per_pe"]),
                      _fmt(e["ratio_to_c"]), _fmt(e["per_pe_over_2pes"])] for e in ks]))
    floor = results.get("mpi_floor") or []
    if floor:
        rows = []
        names = {"put_1MiB_GBps": ("put 1 MiB (GB/s)", "put_bw_1MiB_over_sendrecv"),
                 "put_4MiB_GBps": ("put 4 MiB (GB/s)", "put_bw_4MiB_over_sendrecv"),
                 "fetch_add_us": ("fetch_add (us)", "fetch_add_over_mpi_fetch_and_op")}
        for c in floor:
            for fig, (label, ratio) in names.items():
                if fig in c["figures"]:
                    ours, mpi, _unit = c["figures"][fig]
                    nd = 4 if fig == "fetch_add_us" else 3  # tens of ns on one node
                    rows.append([c["config"], label, _fmt(ours, nd), _fmt(mpi, nd),
                                 _fmt(c["ratios"].get(ratio))])
        out.append(("libshmem on MPI against bare MPI (bench/mpi_floor.c, 2 PEs; PingPong "
                    "one-way put + quiet + flag vs Send/Recv, fetch_add vs MPI_Fetch_and_op "
                    "+ flush)", ["configuration", "figure", "libshmem", "MPI", "ratio"], rows))
    rows = []
    for t in results["targets"]:
        met = {True: "yes", False: "MISSED", None: f"not measured ({t['missing']})"
               if t["value"] is None else f"no verdict ({t['missing']})"}[t["met"]]
        detail = f" ({t['detail']})" if t.get("detail") else ""
        rows.append([t["name"] + detail, _fmt(t["value"]), f"{t['op']} {_fmt(t['threshold'])}",
                     met])
    out.append(("Targets", ["target", "value", "wanted", "met"], rows))
    return out


def _header(results):
    m = results["machine"]
    v = m["versions"]
    load = m.get("load_before")
    return (f"{m['cpu']}, {m['cores']} cores, {m['os']}; Python {m['python']}, NumPy "
            f"{m['numpy']}; shmem4py {v.get('shmem4py')}, MPICH wheel {v.get('mpich')}, "
            f"mpi4py {v.get('mpi4py')}, OSHMEM {v.get('oshmem') or 'not installed'}, "
            f"shmem4py 1.0 {v.get('shmem4py_1.0') or 'not installed'}"
            + (f"; load average {load:.2f} before the run" if load is not None else "")
            + _others(m.get("others_runnable")) + ".")


def _others(o):
    """How busy other jobs kept the cores, sampled between our runs."""
    if not o:
        return ""
    return (f"; other jobs' runnable tasks between the runs: mean {o['mean']:.2f}, max "
            f"{o['max']} ({o['samples']} samples; 0 on a quiet machine)")


def _notes(results):
    lines = []
    pp = results.get("pingpong") or {}
    for var, d in pp.items():
        if var != "memcpy":
            lines.append(f"{var}: {d['label']}" + ("; " + ", ".join(
                f"{k} {_fmt(x)}" for k, x in d["extra"].items()) if d.get("extra") else ""))
    lines += [f"not run: {s['bench']} {s['variant']}: {s['reason']}" for s in results["skipped"]]
    lines += [f"FAILED: {f['bench']} {f['variant']} at {f['npes']} PEs"
              f"{' (peer)' if f['peer'] else ''}: {f['reason']}" for f in results["failures"]]
    return lines


def markdown(results):
    """The markdown tables of one run (results.md)."""
    lines = [f"# bench/run results ({results['started']})", "", _header(results), "",
             f"Command: `{results['options']['argv']}`", ""]
    for title, header, rows in tables(results):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |",
                  "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines.append("")
    lines += ["## Notes", ""] + [f"- {n}" for n in _notes(results)] + [""]
    return "\n".join(lines)


def rst(results):
    """The same tables in reStructuredText (results.rst, for docs/)."""
    lines = [_header(results), "", f"Command: ``{results['options']['argv']}``, "
             f"{results['started']}.", ""]
    for title, header, rows in tables(results):
        lines += [f".. list-table:: {title}", "   :header-rows: 1", ""]
        for row in [header, *rows]:
            lines.append(f"   * - {_rst_cell(row[0])}")
            lines += [f"     - {_rst_cell(c)}" for c in row[1:]]
        lines.append("")
    lines += [f"- {_rst_cell(n)}" for n in _notes(results)] + [""]
    return "\n".join(lines)


def _rst_cell(text):
    # Markup characters of reStructuredText would start inline markup.
    text = " ".join(str(text).split())
    for ch in "\\*`|_":
        text = text.replace(ch, "\\" + ch)
    return "n/a" if text in ("", "-") else text


def plots(out_dir, results):
    """Writes the PNGs that have data; returns their names."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    pp = results.get("pingpong") or {}
    if pp:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for v, d in pp.items():
            style = {"color": "black", "linestyle": "--", "linewidth": 2} if v == "memcpy" else {
                "marker": "o", "markersize": 3}
            ax.plot(d["sizes"], d["bandwidth_GBps"], label=v if v != "memcpy" else "memcpy",
                    **style)
        ax.set(xscale="log", yscale="log", xlabel="message size (bytes)", ylabel="GB/s",
               title="PingPong bandwidth, 2 PEs (one-way, best of reps)")
        ax.legend(fontsize=8)
        ax.grid(True, alpha=0.3)
        _save(fig, out_dir / "pingpong_bandwidth.png", written)
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for v, d in pp.items():
            if v == "memcpy":
                continue
            pts = [(s, t) for s, t in zip(d["sizes"], d["latency_us"]) if s <= 64 << 10]
            if pts:
                ax.plot(*zip(*pts), marker="o", markersize=3, label=v)
        ax.set(xscale="log", yscale="log", xlabel="message size (bytes)",
               ylabel="one-way latency (us)", title="PingPong latency, 2 PEs")
        ax.legend(fontsize=8)
        ax.grid(True, alpha=0.3)
        _save(fig, out_dir / "pingpong_latency.png", written)
    ks = results.get("kernels") or []
    if ks:
        _kernel_plot(plt, out_dir, ks, written)
    if ks or pp:
        _ratio_plot(plt, out_dir, ks, pp, written)
    return written


def _save(fig, path, written):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt
    plt.close(fig)
    written.append(path.name)


def _kernel_plot(plt, out_dir, ks, written):
    # Like the paper's figures: one panel per kernel, a group of bars per
    # variant, one bar per PE count.
    kernels = sorted({e["kernel"] for e in ks}, key=kernel_key)
    npes_all = sorted({e["npes"] for e in ks})
    cols = min(3, len(kernels))
    rows = (len(kernels) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.5 * cols, 3.6 * rows), squeeze=False)
    for ax, kernel in zip(axes.flat, kernels):
        mine = [e for e in ks if e["kernel"] == kernel]
        variants = sorted({e["variant"] for e in mine}, key=variant_key)
        width = 0.8 / len(npes_all)
        for j, npes in enumerate(npes_all):
            xs, ys = [], []
            for i, v in enumerate(variants):
                for e in mine:
                    if e["variant"] == v and e["npes"] == npes and e["rate"]:
                        xs.append(i + (j - (len(npes_all) - 1) / 2) * width)
                        ys.append(e["rate"])
            ax.bar(xs, ys, width, label=f"{npes} PEs")
        for i in range(1, len(variants)):
            if _group(variants[i]) != _group(variants[i - 1]):
                ax.axvline(i - 0.5, color="gray", linewidth=0.8, linestyle=":")
        ax.set_xticks(range(len(variants)))
        ax.set_xticklabels(variants, rotation=35, ha="right", fontsize=8)
        ax.set_title(kernel)
        ax.set_ylabel(mine[0]["unit"] or "")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(kernels):]:
        ax.axis("off")
    _save(fig, out_dir / "kernels.png", written)


def _ratio_plot(plt, out_dir, ks, pp, written):
    panels = (1 if ks else 0) + (1 if pp else 0)
    fig, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.2), squeeze=False)
    axes = list(axes.flat)
    if ks:
        _kernel_ratios(axes.pop(0), ks)
    if pp:
        ax = axes.pop(0)
        top = 1.1
        for v, ref in (("py-shmem", "c-shmem"), ("njit-shmem", "c-shmem"), ("py-mpi", "c-mpi"),
                       ("py-shmem4py1", "c-oshmem")):
            if v in pp and ref in pp:
                c = dict(zip(pp[ref]["sizes"], pp[ref]["latency_us"]))
                pts = [(s, c[s] / t) for s, t in zip(pp[v]["sizes"], pp[v]["latency_us"])
                       if s in c]
                if pts:
                    ax.plot(*zip(*pts), marker="o", markersize=3, label=f"{v} / {ref}")
                    top = max(top, 1.05 * max(r for _, r in pts))
        ax.axhline(1.0, color="black", linewidth=1)
        ax.axhline(0.95, color="gray", linestyle="--", linewidth=1)
        ax.set(xscale="log", xlabel="message size (bytes)", ylabel="bandwidth Python / C",
               title="PingPong: Python / C bandwidth, same library", ylim=(0, top))
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
        ax.grid(True, alpha=0.3)
    _save(fig, out_dir / "ratios.png", written)


def _kernel_ratios(ax, ks):
    npes = min(e["npes"] for e in ks)
    pyv = sorted({e["variant"] for e in ks if not e["variant"].startswith("c-")}, key=variant_key)
    kernels = sorted({e["kernel"] for e in ks}, key=kernel_key)
    width = 0.8 / max(1, len(pyv))
    for j, v in enumerate(pyv):
        xs, ys = [], []
        for i, k in enumerate(kernels):
            rs = [e["ratio_to_c"] for e in ks if e["kernel"] == k and e["variant"] == v
                  and e["ratio_to_c"] and e["npes"] == npes]
            if rs:
                xs.append(i + (j - (len(pyv) - 1) / 2) * width)
                ys.append(rs[0])
        ax.bar(xs, ys, width, label=v)
    ax.axhline(1.0, color="black", linewidth=1)
    ax.axhline(0.85, color="gray", linestyle="--", linewidth=1)
    ax.set_xticks(range(len(kernels)))
    ax.set_xticklabels(kernels, rotation=30, ha="right", fontsize=8)
    ax.set(ylabel="rate / C libshmem rate", title=f"Kernels at {npes} PEs: Python / C")
    if pyv:
        ax.legend(fontsize=7)
