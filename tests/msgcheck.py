"""Static checks of the format strings of diagnostics and exceptions
(used by tests/test_messages.py).

CPython's PyErr_Format/PyUnicode_FromFormat knows fewer conversions than
printf: on an unknown one it copies the rest of the format string as it
is, so a message like "tst=%td" comes out raw.  The runtime's fatal() and
shmemrun's say() are printf-like and checked by the compiler (-Wformat);
here every call is also checked to pass a literal format whose conversions
match its arguments."""
import re

# What PyUnicode_FromFormat formats on every Python the package supports
# (3.9 and later).  Length modifiers l, ll and z apply to d, i and u only;
# x takes no modifier (3.9-3.11 read an int for %lx and %zx, or copy them
# raw); t and j came in 3.12.  Precision applies to strings and integers.
PY_CONVERSION = re.compile(
    r"%(?:%|(?P<prec>\.\d+)?(?:(?P<len>ll|l|z)?(?P<int>[diu])|(?P<other>[csxpUVSRA])))")
# printf conversions (glibc): used for the C runtime and the launcher.
C_CONVERSION = re.compile(
    r"%(?:%|[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfFgGaAcspn])")
ANY_PERCENT = re.compile(r"%")

# The functions that take a format: (name, index of the format argument).
PY_FORMATTERS = {"PyErr_Format": 1, "PyUnicode_FromFormat": 0, "fail": 1, "raise": 1}
C_FORMATTERS = {"fatal": 1, "say": 0}

_LITERAL = r'"(?:[^"\\\n]|\\.)*"'


def strip_comments(src):
    """C/C++ source without its comments (string literals kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * src.count("\n", i, j))  # keep the line numbers
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_args(src, start):
    """The top-level arguments of the call whose '(' is at src[start-1]:
    (list of argument texts, index after ')')."""
    depth, i, args, cur = 0, start, [], []
    while i < len(src):
        c = src[i]
        if c in "\"'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            cur.append(src[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append("".join(cur).strip())
                return args, i + 1
            depth -= 1
        elif c == "," and depth == 0:
            args.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    raise ValueError("unbalanced call")


def literal_groups(arg):
    """The format strings an argument can give: one per run of adjacent
    string literals (a conditional gives two); None when the argument holds
    no literal (a variable format)."""
    groups = []
    for run in re.finditer(rf"(?:{_LITERAL}\s*)+", arg):
        parts = re.findall(_LITERAL, run.group(0))
        groups.append("".join(bytes(p[1:-1], "utf-8").decode("unicode_escape")
                              for p in parts))
    if not groups:
        return None
    rest = re.sub(rf"(?:{_LITERAL}\s*)+", "", arg)
    # Only literals, or `cond ? "a" : "b"`: anything else builds the format
    # at run time, which this check cannot see.
    if groups and not re.fullmatch(r"\s*(?:[^?:]*\?\s*:\s*)?", rest):
        return None
    return groups


def conversions(fmt, pattern):
    """(number of arguments the format consumes, list of bad conversions)."""
    count, bad, i = 0, [], 0
    while True:
        i = fmt.find("%", i)
        if i < 0:
            return count, bad
        m = pattern.match(fmt, i)
        if not m:
            bad.append(fmt[i:i + 6])
            i += 1
            continue
        text = m.group(0)
        if text != "%%":
            count += 1 + text.count("*")
        i = m.end()


def format_calls(path, formatters):
    """Every call of a formatter in the file: (line, function, format
    argument, value arguments, definition?)."""
    src = strip_comments(path.read_text())
    names = "|".join(map(re.escape, formatters))
    for m in re.finditer(rf"(?<![\w.>:])({names})\s*\(", src):
        name = m.group(1)
        args, _ = split_args(src, m.end())
        line = src.count("\n", 0, m.start()) + 1
        before = src[max(0, m.start() - 40):m.start()]
        fi = formatters[name]
        # A declaration or definition (`void fatal(const char *routine, ...)`).
        is_decl = any(re.search(r"\bconst\s+char\s*\*\s*fmt\b", a) for a in args) or \
            re.search(r"(?:void|PyObject\s*\*|\]\])\s*$", before) is not None
        if is_decl:
            continue
        if len(args) <= fi:
            yield line, name, None, [], False
            continue
        yield line, name, args[fi], args[fi + 1:], True


def check_file(path, formatters, pattern):
    """Problems of the format strings in one file, as readable lines, and
    the number of calls checked."""
    problems, checked = [], 0
    for line, name, fmt_arg, values, _ in format_calls(path, formatters):
        where = f"{path.name}:{line}: {name}()"
        if fmt_arg is None:
            problems.append(f"{where}: no format argument")
            continue
        groups = literal_groups(fmt_arg)
        if groups is None:
            problems.append(f"{where}: the format is not a string literal: {fmt_arg[:60]}")
            continue
        checked += 1
        for fmt in groups:
            count, bad = conversions(fmt, pattern)
            if bad:
                problems.append(f"{where}: unsupported conversion(s) {bad} in {fmt!r}")
            elif count != len(values):
                problems.append(f"{where}: {count} conversion(s) but {len(values)} "
                                f"argument(s) in {fmt!r}")
    return problems, checked


# A message that came out unformatted or with a stand-in for a value.
RAW_CONVERSION = re.compile(
    r"%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfFgGaAcspnUVSRTN]")
LONE_QUESTION_MARK = re.compile(r"(?:^|[\s(=:'\"])\?(?=$|[\s,;:)'\"])")


def placeholder_problems(text):
    """What in a message shows that it was not formatted: a printf or
    PyErr_Format conversion left in it, or a lone '?' where a value
    belongs.  Empty when the text is clean."""
    found = [m.group(0) for m in RAW_CONVERSION.finditer(text)]
    found += ["lone '?'" for _ in LONE_QUESTION_MARK.finditer(text)]
    return found
