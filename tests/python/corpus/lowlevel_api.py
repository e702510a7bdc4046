"""A program written against the low-level API only: the OpenSHMEM C API
through CFFI (`from shmem4py.api import ffi, lib`), as a C programmer would
write it in Python.  Nothing of the high-level `shmem` module is used.

Self-check: every value read back is one this PE can compute on its own.
"""
import numpy as np

from shmem4py.api import ffi, lib

lib.shmem_init()
me, npes = lib.shmem_my_pe(), lib.shmem_n_pes()

# Query routines.
major, minor = ffi.new("int*"), ffi.new("int*")
lib.shmem_info_get_version(major, minor)
assert (major[0], minor[0]) == (lib.SHMEM_MAJOR_VERSION, lib.SHMEM_MINOR_VERSION)
assert (major[0], minor[0]) >= (1, 5), (major[0], minor[0])
name = ffi.new("char[]", lib.SHMEM_MAX_NAME_LEN)
lib.shmem_info_get_name(name)
assert ffi.string(name) == ffi.string(lib.SHMEM_VENDOR_STRING), ffi.string(name)
provided = ffi.new("int*")
lib.shmem_query_thread(provided)
assert provided[0] in (lib.SHMEM_THREAD_SINGLE, lib.SHMEM_THREAD_FUNNELED,
                       lib.SHMEM_THREAD_SERIALIZED, lib.SHMEM_THREAD_MULTIPLE)
for pe in range(npes):
    assert lib.shmem_pe_accessible(pe) == 1, pe
assert lib.shmem_pe_accessible(npes) == 0
assert lib.shmem_team_n_pes(lib.SHMEM_TEAM_WORLD) == npes

# Symmetric memory from shmem_malloc: PE p writes 10*p + slot into slot p of
# every PE, one element at a time.
table = ffi.cast("int*", lib.shmem_malloc(npes * ffi.sizeof("int")))
assert table != ffi.NULL
assert lib.shmem_addr_accessible(table, (me + 1) % npes) == 1
for pe in range(npes):
    lib.shmem_int_p(table + me, 10 * me + pe, pe)
lib.shmem_barrier_all()
assert [table[p] for p in range(npes)] == [10 * p + me for p in range(npes)]
for pe in range(npes):
    assert lib.shmem_int_g(table + pe, pe) == 10 * pe + pe

# Block transfers from and into NumPy buffers.
n = 6
block = ffi.cast("long*", lib.shmem_calloc(n, ffi.sizeof("long")))
local = np.arange(n, dtype="l") * (me + 1)
right, left = (me + 1) % npes, (me - 1) % npes
lib.shmem_long_put(block, ffi.from_buffer("long[]", local), n, right)
lib.shmem_barrier_all()
back = np.zeros(n, dtype="l")
lib.shmem_long_get(ffi.from_buffer("long[]", back), block, n, me)
assert (back == np.arange(n) * (left + 1)).all(), back
view = np.frombuffer(ffi.buffer(block, n * ffi.sizeof("long")), dtype="l")
assert (view == back).all()
peer = lib.shmem_ptr(block, right)
if peer != ffi.NULL:
    assert ffi.cast("long*", peer)[n - 1] == (n - 1) * (me + 1)

# Atomics: every PE takes a ticket from PE 0's counter.
counter = ffi.cast("long*", lib.shmem_calloc(1, ffi.sizeof("long")))
lib.shmem_barrier_all()
ticket = lib.shmem_long_atomic_fetch_inc(counter, 0)
assert 0 <= ticket < npes
lib.shmem_barrier_all()
assert lib.shmem_long_atomic_fetch(counter, 0) == npes

# A lock around a read-modify-write that is not atomic by itself.
lock = ffi.cast("long*", lib.shmem_calloc(1, ffi.sizeof("long")))
total = ffi.cast("int*", lib.shmem_calloc(1, ffi.sizeof("int")))
lib.shmem_barrier_all()
for i in range(5):
    lib.shmem_set_lock(lock)
    value = lib.shmem_int_g(total, 0)
    lib.shmem_int_p(total, value + me + 1, 0)
    lib.shmem_quiet()
    lib.shmem_clear_lock(lock)
while lib.shmem_test_lock(lock) != 0:
    pass
lib.shmem_int_atomic_add(total, 1000, 0)
lib.shmem_clear_lock(lock)
lib.shmem_barrier_all()
assert lib.shmem_int_g(total, 0) == 5 * npes * (npes + 1) // 2 + 1000 * npes

# Point-to-point: each PE signals its right neighbour and waits for its left.
flag = ffi.cast("int*", lib.shmem_calloc(1, ffi.sizeof("int")))
lib.shmem_barrier_all()
lib.shmem_int_atomic_set(flag, me + 1, right)
lib.shmem_int_wait_until(flag, lib.SHMEM_CMP_EQ, left + 1)
assert lib.shmem_int_test(flag, lib.SHMEM_CMP_EQ, left + 1) == 1

# A reduction over the world team.
src = ffi.cast("double*", lib.shmem_malloc(2 * ffi.sizeof("double")))
dst = ffi.cast("double*", lib.shmem_malloc(2 * ffi.sizeof("double")))
src[0], src[1] = me + 1.0, 2.0 ** me
lib.shmem_barrier_all()
rc = lib.shmem_double_sum_reduce(lib.SHMEM_TEAM_WORLD, dst, src, 2)
assert rc == 0, rc
assert dst[0] == npes * (npes + 1) / 2 and dst[1] == 2.0 ** npes - 1, (dst[0], dst[1])

lib.shmem_barrier_all()
for p in (table, block, counter, lock, total, flag, src, dst):
    lib.shmem_free(p)
print(f"lowlevel_api: PE {me} of {npes} OK", flush=True)
lib.shmem_finalize()
