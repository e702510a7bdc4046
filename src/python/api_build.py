"""Generate the C source of ``shmem4py.api``, the low-level API.

``shmem4py.api`` exposes the whole C API of ``shmem.h`` and ``shmemx.h``
(functions, constants, handles, typed families) as CFFI objects ``ffi`` and
``lib``, as the published shmem4py does.  It is an out-of-line API-mode CFFI
module: every call is compiled C (with the header's inline fast paths in an
optimized build), not a libffi call interpreted at run time, and Numba can
call its functions from ``@njit`` code.

The declarations are not written a second time here: they are the headers
themselves, run through the C preprocessor so that the X-macro tables of
``shmem_type_table.h`` stamp out every typed routine, exactly as for a C
program.  The constants are the headers' object-like ``#define``s, each
declared by what its value is (an integer, a string, a handle).

Usage: python api_build.py INCLUDE_DIR OUTPUT.c [--cpp "cc -E"]
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

import cffi

HEADERS = ("shmem.h", "shmemx.h")

# What the preprocessed headers must leave out: everything that is not a
# plain C declaration (C11 generics, inline bodies, GCC attributes) and the
# library's internal state behind the inline fast paths (not an API).
CPP_DEFINES = ("-DSHMEM_NO_INLINE", "-DSHMEMI_NO_GENERIC", "-D__attribute__(x)=",
               "-D__extension__=", "-D_Noreturn=", "-D__restrict=", "-Drestrict=")
INTERNAL = re.compile(r"^\s*extern\s+shmemi_fastpath_t\b.*?;\s*$", re.M | re.S)
# The predefined handles are variables in C, but their values are fixed when
# the library is loaded: declared constant, they are plain attributes of lib
# and come with `from shmem4py.api.lib import *`, as in the published package.
HANDLE_VARIABLE = re.compile(r"^\s*extern\s+(shmem_team_t|shmem_ctx_t)\s+(SHMEM_\w+)\s*;", re.M)

# Object-like macros: name, then the value (a function-like macro has a '('
# right after its name and is a table or a helper, not a constant).
DEFINE = re.compile(r"^\s*#\s*define\s+(_?SHMEMX?_[A-Za-z0-9_]*|HAVE_SHMEMX?_[A-Za-z0-9_]*)"
                    r"(?![(\w])[ \t]+([^\n]+?)[ \t]*$", re.M)
HANDLE_CAST = re.compile(r"^\(\s*\(\s*(shmem_team_t|shmem_ctx_t)\s*\)\s*[-0-9A-Za-z_]+\s*\)$")
INTEGER = re.compile(r"^\(?\s*-?\s*\(?\s*\d+[uUlL]*\s*(<<\s*\d+\s*)?\)?\s*\)?$")


def _strip_comment(value):
    return re.sub(r"/\*.*?\*/|//.*$", "", value).strip()


def constants(include_dir):
    """The headers' constants as cdef lines, in header order."""
    raw = {}
    for header in ("shmem.h", "shmemx.h"):
        with open(os.path.join(include_dir, header)) as f:
            text = f.read()
        for name, value in DEFINE.findall(text):
            value = _strip_comment(value)
            if value:  # an empty value is an include guard
                raw.setdefault(name, value)

    kinds = {}

    def kind(name, seen=()):
        if name in kinds:
            return kinds[name]
        value = raw[name]
        if value in raw and value not in seen:  # an alias (_SHMEM_CMP_EQ ...)
            k = kind(value, seen + (name,))
        elif value.startswith('"'):
            k = "string"
        elif HANDLE_CAST.match(value):
            k = HANDLE_CAST.match(value).group(1)
        elif INTEGER.match(value):
            k = "int"
        else:
            raise SystemExit(f"api_build.py: cannot tell the kind of constant "
                             f"{name} = {value}: teach constants() about it")
        kinds[name] = k
        return k

    lines = []
    for name in raw:
        k = kind(name)
        if k == "int":
            lines.append(f"#define {name} ...")
        elif k == "string":
            lines.append(f"static const char *const {name};")
        else:
            lines.append(f"static const {k} {name};")
    return lines


def declarations(include_dir, cpp):
    """The headers' declarations, preprocessed, without system headers."""
    with tempfile.TemporaryDirectory() as tmp:
        # System headers are left out (cdef knows size_t, intN_t ...);
        # every other line of the headers goes through the preprocessor.
        for name in os.listdir(include_dir):
            if not name.endswith(".h"):
                continue
            with open(os.path.join(include_dir, name)) as f:
                text = f.read()
            text = re.sub(r"^\s*#\s*include\s*<[^>]*>.*$", "", text, flags=re.M)
            with open(os.path.join(tmp, name), "w") as f:
                f.write(text)
        main = os.path.join(tmp, "api_main.h")
        with open(main, "w") as f:
            f.writelines(f'#include "{h}"\n' for h in HEADERS)
        cmd = [*shlex.split(cpp), "-P", "-std=c99", *CPP_DEFINES, main]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    out = re.sub(r"^\s*#\s*pragma.*$", "", out, flags=re.M)
    out = INTERNAL.sub("", out)
    out = HANDLE_VARIABLE.sub(r"static const \1 \2;", out)
    return out


def type_names(include_dir, cpp):
    """typedefs of the OpenSHMEM type names (schar, longlong, uint64,
    complexd ...) for ffi.new/ffi.cast, taken from the type table.  size and
    ptrdiff are left out: they are parameter names of the API too, which a
    typedef of that name would make unparsable."""
    src = ('#include "shmem_type_table.h"\n#define X(N, T) @N:T@\n'
           'SHMEM_RMA_TYPES(X) SHMEM_REDUCE_COMPLEX_TYPES(X)\n')
    cmd = [*shlex.split(cpp), "-P", "-I", include_dir, "-"]
    out = subprocess.run(cmd, input=src, check=True, capture_output=True, text=True).stdout
    lines = []
    for name, ctype in re.findall(r"@\s*(\w+)\s*:\s*([^@]+?)\s*@", out):
        if name != ctype and name not in ("size", "ptrdiff") and name.isidentifier():
            lines.append(f"typedef {ctype} {name};")
    return lines


def build_ffi(include_dir, cpp="cc -E"):
    ffibuilder = cffi.FFI()
    ffibuilder.cdef(declarations(include_dir, cpp))
    ffibuilder.cdef("\n".join(constants(include_dir)))
    typedefs = "\n".join(type_names(include_dir, cpp))
    ffibuilder.cdef(typedefs)
    ffibuilder.set_source(
        "shmem4py.api",
        "".join(f"#include <{h}>\n" for h in HEADERS) + typedefs + "\n")
    return ffibuilder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("include_dir")
    parser.add_argument("output")
    parser.add_argument("--cpp", default=os.environ.get("CPP_FOR_CFFI", "cc -E"))
    args = parser.parse_args(argv)
    ffibuilder = build_ffi(args.include_dir, args.cpp)
    ffibuilder.emit_c_code(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
